/**
 * The staff administration API through the real wrapper, sessions and database: create (initial
 * password signs in once shown), change role and scope, disable, end sessions; nobody changes
 * their own account; the last all-clients admin stays; every change is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '@/server/audit';
import { getAuth } from '@/server/auth';
import { changeDisabled, changeGrant } from '@/server/auth/staff';
import { findUser } from '@/server/auth/users';
import { getDb } from '@/server/db';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookieFor } from '@/server/testing/session';
import { TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as staffRoute from './route';
import * as memberRoute from './[userId]/route';
import * as statusRoute from './[userId]/status/route';
import * as sessionsRoute from './[userId]/sessions/route';

let emulator: TestEmulator;
let adminCookie: string;
let adminId: string;
const service = 'default';

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator);
  adminCookie = await sessionCookieFor('admin', 'first-admin@desk.test');
  adminId = (await findUser(await getDb(), 'first-admin@desk.test'))!.id;
}, 600_000);
afterAll(() => emulator?.close());

async function call(
  handler: unknown,
  method: string,
  params: Record<string, string>,
  body?: unknown,
  cookie = adminCookie,
) {
  const response = await (handler as RouteHandler)(
    new Request(`${TEST_APP_URL}/api/s/${service}/staff`, {
      method,
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        cookie,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { params: Promise.resolve({ service, ...params }) },
  );
  return { status: response.status, json: await response.json() };
}

async function signIn(email: string, password: string) {
  const auth = await getAuth();
  const response = await auth.api.signInEmail({
    body: { email, password },
    headers: new Headers({ 'user-agent': 'vitest', 'x-forwarded-for': '127.0.0.1' }),
    asResponse: true,
  });
  return response;
}

async function newestAudit(action: string) {
  const { entries } = await listAudit({ page: 1, pageSize: 5, action } as never);
  return entries[0];
}

describe('staff administration API', () => {
  it('creates a scoped support person whose initial password (shown once) signs in', async () => {
    const created = await call(
      staffRoute.POST,
      'POST',
      {},
      {
        email: 'Desk.Two@desk.test',
        name: 'Desk Two',
        role: 'support',
        scope: { kind: 'clients', clientIds: ['26888344961664', '1734526871'] },
      },
    );
    expect(created.status).toBe(201);
    expect(created.json.member).toMatchObject({
      email: 'desk.two@desk.test',
      role: 'support',
      scope: { kind: 'clients', clientIds: ['26888344961664', '1734526871'] },
      disabled: false,
      activeSessions: 0,
    });
    expect(created.json.initialPassword).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await signIn('desk.two@desk.test', created.json.initialPassword)).ok).toBe(true);

    const audit = await newestAudit('user.create');
    expect(audit?.outcome).toBe('success');
    expect(audit?.details).toMatchObject({ user: 'desk.two@desk.test', role: 'support' });
    // The password is in the answer only: never in the audit log.
    expect(JSON.stringify(audit)).not.toContain(created.json.initialPassword);

    const list = await call(staffRoute.GET, 'GET', {});
    const listed = list.json.staff.find((member: { email: string }) => member.email === 'desk.two@desk.test');
    expect(listed).toMatchObject({ activeSessions: 1, methods: ['password'] });
    expect(listed.lastSignInAt).toBeGreaterThan(Date.now() - 60_000);

    const duplicate = await call(
      staffRoute.POST,
      'POST',
      {},
      {
        email: 'desk.two@desk.test',
        name: 'Again',
        role: 'viewer',
        scope: { kind: 'all' },
      },
    );
    expect(duplicate.status).toBe(409);
  });

  it('changes role and scope (audited before and after), ends sessions, disables and enables', async () => {
    const { json } = await call(
      staffRoute.POST,
      'POST',
      {},
      {
        email: 'changing@desk.test',
        name: 'Changing',
        role: 'viewer',
        scope: { kind: 'all' },
      },
    );
    const userId = json.member.id as string;
    await signIn('changing@desk.test', json.initialPassword);

    const changed = await call(
      memberRoute.PATCH,
      'PATCH',
      { userId },
      {
        role: 'support',
        scope: { kind: 'clients', clientIds: ['917364'] },
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.json.member).toMatchObject({ role: 'support', scope: { kind: 'clients', clientIds: ['917364'] } });
    const audit = await newestAudit('user.role_change');
    expect(audit?.details.before).toEqual({ role: 'viewer', scope: { kind: 'all' } });
    expect(audit?.details.after).toEqual({ role: 'support', scope: { kind: 'clients', clientIds: ['917364'] } });

    const ended = await call(sessionsRoute.DELETE, 'DELETE', { userId });
    expect(ended).toEqual({ status: 200, json: { count: 1 } });
    expect((await newestAudit('user.sessions_end'))?.count).toBe(1);

    const disabled = await call(statusRoute.POST, 'POST', { userId }, { disabled: true });
    expect(disabled.json.member.disabled).toBe(true);
    expect((await signIn('changing@desk.test', json.initialPassword)).ok).toBe(false);
    const enabled = await call(statusRoute.POST, 'POST', { userId }, { disabled: false });
    expect(enabled.json.member.disabled).toBe(false);
    expect((await newestAudit('user.enable'))?.details).toMatchObject({ user: 'changing@desk.test' });
  });

  it('refuses changes to one’s own account, so nobody raises their own role (audited as failures)', async () => {
    const raise = await call(
      memberRoute.PATCH,
      'PATCH',
      { userId: adminId },
      {
        role: 'admin',
        scope: { kind: 'all' },
      },
    );
    expect(raise.status).toBe(403);
    expect(raise.json.error.code).toBe('self_change');
    expect((await newestAudit('user.role_change'))?.outcome).toBe('failure');
    const disable = await call(statusRoute.POST, 'POST', { userId: adminId }, { disabled: true });
    expect(disable.json.error.code).toBe('self_change');
  });

  it('keeps the last admin of all clients: no demotion, narrowing or disabling, whoever asks', async () => {
    // Through the API only an all-clients admin reaches these, never about themselves; the rule
    // still holds for any caller (two admins demoting each other at once, scripts).
    const db = await getDb();
    for (const grant of [
      { role: 'support' as const, scope: { kind: 'all' as const } },
      { role: 'admin' as const, scope: { kind: 'clients' as const, clientIds: ['917364'] } },
    ]) {
      await expect(changeGrant(db, 'someone-else', service, adminId, grant)).rejects.toMatchObject({
        code: 'last_admin',
      });
    }
    await expect(changeDisabled(db, 'someone-else', service, adminId, true)).rejects.toMatchObject({
      code: 'last_admin',
    });
  });

  it('lets a second all-clients admin narrow the first, who then may not manage staff', async () => {
    const second = await call(
      staffRoute.POST,
      'POST',
      {},
      {
        email: 'second-admin@desk.test',
        name: 'Second Admin',
        role: 'admin',
        scope: { kind: 'all' },
      },
    );
    const response = await signIn('second-admin@desk.test', second.json.initialPassword);
    const secondCookie = response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .join('; ');
    const narrowed = await call(
      memberRoute.PATCH,
      'PATCH',
      { userId: adminId },
      { role: 'admin', scope: { kind: 'clients', clientIds: ['917364'] } },
      secondCookie,
    );
    expect(narrowed.status).toBe(200);
    const refused = await call(staffRoute.GET, 'GET', {});
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('all_clients_required');
    // The second admin is now the last one with all clients: the first cannot touch them anyway.
    await expect(changeDisabled(await getDb(), adminId, service, second.json.member.id, true)).rejects.toMatchObject({
      code: 'last_admin',
    });
  });
});
