/**
 * The language and time zone saved on a person's account: `PUT /api/session/locale` and
 * `PUT /api/session/time-zone`, through the real wrapper (session, validation, audit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '@/lib/schemas/audit';
import { listAudit } from '@/server/audit';
import { getActor } from '@/server/auth';
import { readPreferences } from '@/server/auth/preferences';
import { closeDb } from '@/server/db';
import { signedInAs } from '@/server/testing/sign-in';
import * as localeRoute from './locale/route';
import * as timeZoneRoute from './time-zone/route';

afterAll(closeDb);

let viewer: { cookie: string; email: string };
let userId: string;
beforeAll(async () => {
  viewer = await signedInAs('viewer');
  userId = (await getActor(new Headers({ cookie: viewer.cookie })))!.id;
});

const put = (handler: (request: Request) => Promise<Response>, path: string, body: unknown, cookie?: string) =>
  handler(
    new Request(`http://127.0.0.1:3000${path}`, {
      method: 'PUT',
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        'content-type': 'application/json',
        ...(cookie ? { cookie } : {}),
      },
      body: JSON.stringify(body),
    }),
  );
const putLocale = (body: unknown, cookie = viewer.cookie) => put(localeRoute.PUT, '/api/session/locale', body, cookie);
const putTimeZone = (body: unknown, cookie = viewer.cookie) =>
  put(timeZoneRoute.PUT, '/api/session/time-zone', body, cookie);

async function lastAudit(action: AuditRecord['action']): Promise<AuditRecord | undefined> {
  const { entries } = await listAudit({ page: 1, pageSize: 20, action } as never);
  return entries.find((entry) => entry.actor?.email === viewer.email);
}

describe('PUT /api/session/locale', () => {
  it('needs a session', async () => {
    expect((await putLocale({ locale: 'ja' }, '')).status).toBe(401);
  });

  it('saves the language on the account (any role), sets this browser’s cookie and is audited', async () => {
    expect(await readPreferences(userId)).toEqual({ locale: null, timeZone: null });
    const response = await putLocale({ locale: 'ja' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ locale: 'ja' });
    expect(response.headers.get('set-cookie')).toMatch(/^NEXT_LOCALE=ja; Path=\/; Max-Age=31536000; SameSite=Lax/);
    expect(await readPreferences(userId)).toEqual({ locale: 'ja', timeZone: null });
    expect(await lastAudit('account.locale')).toMatchObject({
      outcome: 'success',
      details: { before: { locale: null }, after: { locale: 'ja' } },
    });
  });

  it('forgets the saved language with null, and the cookie with it', async () => {
    const response = await putLocale({ locale: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^NEXT_LOCALE=; Path=\/; Max-Age=0;/);
    expect((await readPreferences(userId))?.locale).toBeNull();
    await putLocale({ locale: 'ja' });
  });

  it.each([{ locale: 'fr' }, { locale: 'ja', extra: 1 }, {}])('refuses %j with 400 and saves nothing', async (body) => {
    const before = await readPreferences(userId);
    const response = await putLocale(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    expect(await readPreferences(userId)).toEqual(before);
  });
});

describe('PUT /api/session/time-zone', () => {
  it('saves a zone, and null goes back to the browser’s zone; both audited', async () => {
    expect((await putTimeZone({ timeZone: 'Asia/Tokyo' })).status).toBe(200);
    expect((await readPreferences(userId))?.timeZone).toBe('Asia/Tokyo');
    expect(await lastAudit('account.time_zone')).toMatchObject({ details: { after: { timeZone: 'Asia/Tokyo' } } });

    expect((await putTimeZone({ timeZone: null })).status).toBe(200);
    expect((await readPreferences(userId))?.timeZone).toBeNull();
    expect(await lastAudit('account.time_zone')).toMatchObject({
      details: { before: { timeZone: 'Asia/Tokyo' }, after: { timeZone: null } },
    });
  });

  it.each(['Mars/Olympus_Mons', '../etc/passwd', 'x'.repeat(65), 42])('refuses %j with 400', async (timeZone) => {
    const response = await putTimeZone({ timeZone });
    expect(response.status).toBe(400);
    expect((await readPreferences(userId))?.timeZone).toBeNull();
  });
});
