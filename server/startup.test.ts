import { eq } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD } from '@/server/auth/demo-accounts';
import { closeDb } from '@/server/db';
import { stopJobWorkers } from '@/server/jobs';
import { authUser } from '@/server/db/schema';
import { startServer } from './startup';
import { PEER_ADDRESS_HEADER } from '@/server/core/peer-address';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('startServer', () => {
  it('stops the process with one line naming a malformed variable', async () => {
    vi.stubEnv('AUTHLETE_TIMEOUT_MS', 'soon');
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exited');
    });
    await expect(startServer()).rejects.toThrow('exited');
    expect(exit).toHaveBeenCalledWith(1);
    expect(printed).toHaveBeenCalledExactlyOnceWith(
      'Invalid configuration: AUTHLETE_TIMEOUT_MS must be a whole number of milliseconds.',
    );
  });

  it('migrates the database and says in the log that it runs against the demo emulator', async () => {
    vi.stubEnv('LOG_LEVEL', 'info');
    const logged = vi.spyOn(console, 'info').mockImplementation(() => {});
    await startServer();
    const line = JSON.parse(String(logged.mock.calls.at(-1)?.[0]));
    expect(line).toMatchObject({
      msg: 'token desk started',
      database: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite',
    });
    expect(line.authlete).toBe('demo: local Authlete emulator');
    expect(line.jobWorkers).toBe('in process');
    await stopJobWorkers();
    await closeDb();
  }, 120_000);
});

/**
 * Restarts against the same database (the in-process test database outlives module reloads) with
 * another configuration: what a person does by restarting with or without AUTHLETE_*.
 */
async function restart(env: 'demo' | 'live', extra: Record<string, string> = {}) {
  vi.unstubAllEnvs();
  for (const [name, value] of Object.entries(extra)) vi.stubEnv(name, value);
  if (env === 'live') {
    vi.stubEnv('AUTHLETE_BASE_URL', 'https://us.authlete.example');
    vi.stubEnv('AUTHLETE_SERVICE_ID', '21653835348762');
    vi.stubEnv('AUTHLETE_SERVICE_ACCESS_TOKEN', 'a-real-looking-service-access-token');
  }
  vi.stubEnv('LOG_LEVEL', 'info');
  // A new process: no Better Auth instance, no settled demo accounts yet.
  for (const key of ['token-desk.auth', 'token-desk.demo-accounts'])
    delete (globalThis as Record<symbol, unknown>)[Symbol.for(key)];
  vi.resetModules();
  const logged: Record<string, unknown>[] = [];
  for (const level of ['info', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((line: unknown) => {
      if (typeof line === 'string' && line.startsWith('{')) logged.push(JSON.parse(line));
    });
  }
  await (await import('./startup')).startServer();
  return {
    logged,
    auth: await import('@/server/auth'),
    routes: await import('@/server/http/auth-routes'),
    users: await import('@/server/auth/users'),
    db: await (await import('@/server/db')).getDb(),
  };
}

let address = 0;
async function signIn(app: Awaited<ReturnType<typeof restart>>, email: string, password: string): Promise<Response> {
  return app.routes.handleAuthRequest(
    new Request('http://127.0.0.1:3000/api/auth/sign-in/email', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: 'http://127.0.0.1:3000',
        [PEER_ADDRESS_HEADER]: `192.0.2.${++address}`,
      },
      body: JSON.stringify({ email, password }),
    }),
  );
}

describe('demo accounts across restarts', () => {
  afterAll(async () => {
    await stopJobWorkers();
    await closeDb();
  });

  it('work in demo mode, are disabled with their sessions ended when demo mode is off, and are not seeded again into a database a live run used', async () => {
    const demo = await restart('demo');
    const first = await signIn(demo, 'admin@demo.local', DEMO_PASSWORD);
    expect(first.status).toBe(200);
    const cookie = first.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    expect(await demo.auth.getActor(new Headers({ cookie }))).toMatchObject({
      email: 'admin@demo.local',
      role: 'admin',
    });
    // A real account that merely shares the demo domain is not a demo account.
    await demo.users.createUser(demo.db, {
      email: 'ops@demo.local',
      name: 'Ops',
      role: 'admin',
      password: 'a real long password',
    });

    const live = await restart('live');
    const disabledLines = live.logged.filter((line) => String(line.msg).startsWith('demo accounts disabled'));
    expect(disabledLines).toEqual([
      expect.objectContaining({
        level: 'warn',
        accounts: ['admin@demo.local', 'desk@demo.local', 'lead@demo.local', 'support@demo.local', 'viewer@demo.local'],
        sessionsEnded: 1,
      }),
    ]);
    expect(await live.auth.getActor(new Headers({ cookie }))).toBeNull();
    for (const email of [
      'admin@demo.local',
      'desk@demo.local',
      'lead@demo.local',
      'support@demo.local',
      'viewer@demo.local',
    ]) {
      expect((await signIn(live, email, DEMO_PASSWORD)).status, email).toBe(403);
    }
    // Enabled again by hand, a demo account still opens nothing while demo mode is off.
    await live.users.setDisabled(live.db, 'admin@demo.local', false);
    expect((await signIn(live, 'admin@demo.local', DEMO_PASSWORD)).status).toBe(403);
    expect((await signIn(live, 'ops@demo.local', 'a real long password')).status).toBe(200);

    // Back to demo mode on the same database: refused loudly, nothing seeded.
    await live.db.delete(authUser).where(eq(authUser.email, 'viewer@demo.local'));
    const again = await restart('demo');
    expect(again.logged).toContainEqual(
      expect.objectContaining({ level: 'error', msg: expect.stringMatching(/^DEMO MODE REFUSED TO SEED/) }),
    );
    expect(await again.users.findUser(again.db, 'viewer@demo.local')).toBeNull();
    expect((await signIn(again, 'support@demo.local', DEMO_PASSWORD)).status).toBe(403);
  }, 120_000);

  // After the demo restarts above: these runs use the database live.
  it('warns in production when the client address comes from a header nobody checks, and only then', async () => {
    const production = {
      NODE_ENV: 'production',
      BETTER_AUTH_SECRET: 'a'.repeat(43),
      APP_URL: 'https://desk.example.com',
    };
    const unchecked = await restart('live', { ...production, CLIENT_IP_HEADER: 'X-Real-IP' });
    expect(unchecked.logged).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: expect.stringMatching(/^CLIENT_IP_HEADER=x-real-ip is believed from any client/),
      }),
    );
    for (const settings of [
      {},
      { CLIENT_IP_HEADER: 'X-Real-IP', TRUSTED_PROXIES: '10.0.0.0/8' },
      { TRUSTED_PROXIES: '10.0.0.0/8' },
    ] as Record<string, string>[]) {
      const checked = await restart('live', { ...production, ...settings });
      expect(
        checked.logged.filter((line) => line.level === 'warn' && String(line.msg).includes('CLIENT_IP_HEADER')),
      ).toEqual([]);
    }
  }, 120_000);
});
