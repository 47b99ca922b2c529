import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/roles';
import { auditListResponseSchema } from '@/lib/schemas/audit';
import { recordAudit } from '@/server/audit';
import { signedInAs } from '@/server/testing/sign-in';
import { closeDb } from '@/server/db';
import { GET } from './route';

const cookies = {} as Record<Role, string>;
beforeAll(async () => {
  for (const role of ['viewer', 'support', 'admin'] as const) cookies[role] = (await signedInAs(role)).cookie;
  await recordAudit({
    action: 'token.revoke_all',
    outcome: 'success',
    actor: { id: 'x', email: 'sam@desk.test' },
    target: { subject: 'alice' },
    count: 2,
  });
});
afterAll(closeDb);

const get = (query: string, cookie?: string) =>
  GET(new Request(`http://127.0.0.1:3000/api/audit${query}`, { headers: cookie ? { cookie } : {} }));

describe('GET /api/audit', () => {
  it('needs a session', async () => {
    expect((await get('')).status).toBe(401);
  });

  it.each(['viewer', 'support'] as const)('is forbidden to %s, and the denial is itself audited', async (role) => {
    const response = await get('', cookies[role]);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
    const log = auditListResponseSchema.parse(await (await get(`?action=auth.denied`, cookies.admin)).json());
    expect(
      log.entries.some((entry) => entry.actor?.role === role && entry.details.route === 'GET /api/s/[service]/audit'),
    ).toBe(true);
  });

  it('lists for an admin, filtered', async () => {
    const response = await get('?subject=alice&action=token.revoke_all', cookies.admin);
    expect(response.status).toBe(200);
    const body = auditListResponseSchema.parse(await response.json());
    expect(body.totalCount).toBe(1);
    expect(body.entries[0]).toMatchObject({ action: 'token.revoke_all', count: 2, target: { subject: 'alice' } });
  });

  it('answers 400 with field errors for a bad filter', async () => {
    const response = await get('?action=token.steal&pageSize=7', cookies.admin);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });
});
