import { afterAll, describe, expect, it } from 'vitest';
import { actorSchema } from '@/lib/schemas/session';
import { signedInAs } from '@/server/testing/sign-in';
import { setRole } from '@/server/auth/users';
import { closeDb, getDb } from '@/server/db';
import { GET } from './route';

afterAll(closeDb);

const get = (cookie?: string) =>
  GET(new Request('http://127.0.0.1:3000/api/session', { headers: cookie ? { cookie } : {} }));

describe('GET /api/session', () => {
  it('is 401 with the error envelope when signed out', async () => {
    const response = await get();
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('returns the actor and the demo flag, never cached', async () => {
    const { cookie, email } = await signedInAs('support');
    const response = await get(cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { actor: unknown; demo: boolean };
    expect(actorSchema.parse(body.actor)).toMatchObject({ email, role: 'support', method: 'password' });
    expect(body.demo).toBe(true);

    await setRole(await getDb(), email, 'admin');
    expect(((await (await get(cookie)).json()) as { actor: { role: string } }).actor.role).toBe('admin');
  });
});
