/**
 * Stateless instances: two processes of the built app on loopback (`next start`, and the standalone
 * `server.js` of docs/deploy.md), sharing one
 * PostgreSQL database and nothing else (separate data folders), behind one address as a load
 * balancer would put them (APP_URL), with the test choosing the instance per request. A session made
 * on one works on the other, a sign-out on one is seen by the other, and the rate limit on changes
 * is counted across both. A role change or disable made with the users CLI on the same database
 * applies to a browser that is already signed in. A bulk-issue job runs with both instances' job
 * workers up and survives both being killed mid-job. Needs TEST_DATABASE_URL (npm test provides it via scripts/with-postgres.sh).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../server/auth/demo-accounts';
import { createScratchDatabase, dropDatabases } from '../server/db/test-database';
import { startEmulator, type Emulator } from '../server/emulator/server';
import { freePort } from '../server/testing/free-port';
import { prepareStandaloneServer } from '../scripts/run-stack';

const RATE_LIMIT = 4;
const root = path.resolve(import.meta.dirname, '..');

type Name = 'a' | 'b';

interface Instance {
  url: string;
  process: ChildProcess;
  output: () => string;
}

/**
 * Starts one instance of the build: `next start`, or the self-contained `.next/standalone/server.js`
 * that docs/deploy.md tells Node hosts to run (with the static files copied in as documented).
 */
async function startInstance(
  kind: 'next start' | 'standalone',
  env: Record<string, string>,
  dataDir: string,
): Promise<Instance> {
  const port = await freePort();
  const server = kind === 'standalone' ? prepareStandaloneServer() : '';
  const [args, cwd] =
    kind === 'standalone'
      ? [[server], path.dirname(server)]
      : [[path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(port)], root];
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      ...env,
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { url: `http://127.0.0.1:${port}`, process: child, output: () => output };
}

/**
 * The load balancer: one loopback address in front of both instances. `x-instance: a|b` picks the
 * instance (so the test knows which one answered); the answer says which one did.
 */
async function startBalancer(
  instances: Partial<Record<Name, Instance>>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((incoming, outgoing) => {
    const name = incoming.headers['x-instance'] === 'b' ? 'b' : 'a';
    const target = new URL(incoming.url ?? '/', instances[name]!.url);
    const forward = http.request(target, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-served-by': name });
      answer.pipe(outgoing);
    });
    forward.once('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Runs the staff account CLI (`npm run users -- …`) against the given database, as an operator would. */
async function usersCli(databaseUrl: string, dataDir: string, args: string[], stdin = ''): Promise<string> {
  const child = spawn('npm', ['run', '--silent', 'users', '--', ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`users ${args.join(' ')} exited with ${code}:\n${output}`);
  return output;
}

async function untilHealthy(instance: Instance): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (instance.process.exitCode !== null)
      throw new Error(`instance exited (${instance.process.exitCode}):\n${instance.output()}`);
    try {
      if ((await fetch(`${instance.url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`instance at ${instance.url} never became healthy:\n${instance.output()}`);
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.process.exitCode !== null) return;
  const exited = new Promise((resolve) => instance.process.once('exit', resolve));
  instance.process.kill('SIGTERM');
  await exited;
}

test.describe('two app instances sharing one PostgreSQL database', () => {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const instances: Partial<Record<Name, Instance>> = {};
  let balancer: { url: string; close(): Promise<void> };
  let emulator: Emulator;
  let database: { name: string; url: string };
  let dataDirs: string[] = [];
  /** What both instances are started with. */
  let shared: Record<string, string>;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    if (!adminUrl)
      throw new Error(
        'Set TEST_DATABASE_URL to a PostgreSQL server (or run through scripts/with-postgres.sh, as npm test does).',
      );
    emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: { demo: true } });
    database = await createScratchDatabase(adminUrl, 'e2e');
    balancer = await startBalancer(instances);
    shared = {
      DATABASE_URL: database.url,
      EMULATOR_PORT: String(emulator.port),
      APP_URL: balancer.url,
      // Every instance must sign cookies with the same key; the demo's per-folder key would differ.
      BETTER_AUTH_SECRET: 'multi-instance-e2e-session-secret-0123456789abcdef',
      MUTATION_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    };
    dataDirs = [0, 1].map(() => mkdtempSync(path.join(os.tmpdir(), 'token-desk-instance-')));
    // Started together: both migrate the empty database and seed the demo accounts at the same
    // moment, which must not fail either of them.
    [instances.a, instances.b] = await Promise.all([
      startInstance('next start', shared, dataDirs[0]!),
      startInstance('standalone', shared, dataDirs[1]!),
    ]);
    await Promise.all([untilHealthy(instances.a!), untilHealthy(instances.b!)]);
  });

  test.afterAll(async () => {
    await Promise.all(Object.values(instances).map(stopInstance));
    await balancer?.close();
    await emulator?.close();
    if (adminUrl && database) await dropDatabases(adminUrl, [database.name]);
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Requests through the balancer, as a browser on the app's address would send them. */
  async function client(
    playwright: { request: { newContext: (options: object) => Promise<APIRequestContext> } },
    storageState?: object,
  ) {
    return playwright.request.newContext({
      baseURL: balancer.url,
      extraHTTPHeaders: { origin: balancer.url },
      ...(storageState ? { storageState } : {}),
    });
  }

  async function call(request: APIRequestContext, on: Name, method: 'GET' | 'POST', pathname: string, data?: unknown) {
    const response = await request.fetch(pathname, {
      method,
      headers: { 'x-instance': on },
      ...(data === undefined ? {} : { data }),
    });
    expect(response.headers()['x-served-by']).toBe(on);
    return response;
  }

  async function signIn(request: APIRequestContext, on: Name, email: string): Promise<void> {
    const response = await call(request, on, 'POST', '/api/auth/sign-in/email', { email, password: DEMO_PASSWORD });
    expect(response.status(), await response.text()).toBe(200);
  }

  async function sessionEmail(request: APIRequestContext, on: Name): Promise<string | number> {
    const response = await call(request, on, 'GET', '/api/session');
    if (response.status() !== 200) return response.status();
    return ((await response.json()) as { actor: { email: string } }).actor.email;
  }

  test('the standalone server serves the pages and their static files', async ({ playwright }) => {
    const request = await client(playwright);
    const page = await call(request, 'b', 'GET', '/sign-in');
    expect(page.status()).toBe(200);
    const script = /\/_next\/static\/[^"]+\.js/.exec(await page.text())?.[0];
    expect(script, 'a script of the page').toBeTruthy();
    expect((await call(request, 'b', 'GET', script!)).status()).toBe(200);
    await request.dispose();
  });

  test('a session made on one instance works on the other, and signing out on one ends it on both', async ({
    playwright,
  }) => {
    const request = await client(playwright);
    await signIn(request, 'a', 'support@demo.local');
    expect(await sessionEmail(request, 'a')).toBe('support@demo.local');
    expect(await sessionEmail(request, 'b')).toBe('support@demo.local');

    const cookies = await request.storageState();
    expect((await call(request, 'b', 'POST', '/api/auth/sign-out', {})).status()).toBe(200);
    // A copy of the old cookie, replayed against the other instance, is refused.
    const replay = await client(playwright, cookies);
    expect(await sessionEmail(replay, 'a')).toBe(401);
    expect(await sessionEmail(request, 'a')).toBe(401);
    await Promise.all([request.dispose(), replay.dispose()]);
  });

  test(`the limit of ${RATE_LIMIT} changes a minute is counted across both instances`, async ({ playwright }) => {
    const request = await client(playwright);
    await signIn(request, 'b', 'support@demo.local');
    // A well-formed hash no token has: each revoke is a real change attempt (404 from Authlete).
    const hash = 'Z'.repeat(43);
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 1; i++) {
      const response = await call(
        request,
        i % 2 === 0 ? 'a' : 'b',
        'POST',
        `/api/s/production/tokens/${hash}/revoke?subject=nobody&clientId=917364`,
        {},
      );
      statuses.push(response.status());
      if (response.status() === 429) {
        expect(Number(response.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      }
    }
    expect(statuses).toEqual([...Array<number>(RATE_LIMIT).fill(404), 429]);
    // Reads have their own, far larger limit.
    expect((await call(request, 'a', 'GET', '/api/s/production/tokens?status=all&pageSize=10')).status()).toBe(200);
    await request.dispose();
  });

  test('a bulk-issue job recorded through one instance is read back through the other', async ({ playwright }) => {
    const request = await client(playwright);
    await signIn(request, 'a', 'admin@demo.local');
    const plan = {
      fileName: 'multi-instance.csv',
      fileSha256: 'b'.repeat(64),
      fileBytes: 120,
      fileRows: 2,
      rowCount: 2,
      excludedRows: 0,
      generatedRows: 0,
      chunkSize: 2,
      chunks: [{ rowFrom: 0, rowTo: 2, firstLine: 2, lastLine: 3 }],
    };
    const created = await call(request, 'a', 'POST', '/api/s/production/jobs', plan);
    expect(created.status(), await created.text()).toBe(201);
    const { job } = (await created.json()) as { job: { id: string } };
    const read = await call(request, 'b', 'GET', `/api/s/production/jobs/${job.id}`);
    expect(read.status()).toBe(200);
    expect(((await read.json()) as { job: { id: string; fileName: string } }).job).toMatchObject({
      id: job.id,
      fileName: 'multi-instance.csv',
    });
    await request.dispose();
  });

  test("a job runs with both instances' workers up, survives both being killed mid-job, and creates each token once", async ({
    playwright,
  }) => {
    test.setTimeout(240_000);
    // Changes are limited to 4 a minute per person: the job is started by one admin and sent by another.
    const email = 'jobs@e2e.test';
    await usersCli(
      database.url,
      dataDirs[0]!,
      ['create', '--email', email, '--name', 'Jobs', '--role', 'admin', '--password-stdin'],
      'jobs-e2e-password\n',
    );
    const request = await client(playwright);
    const response = await call(request, 'a', 'POST', '/api/auth/sign-in/email', {
      email,
      password: 'jobs-e2e-password',
    });
    expect(response.status(), await response.text()).toBe(200);
    const sender = await client(playwright);
    await signIn(sender, 'b', 'admin@demo.local');
    const emulatorCall = (pathname: string, body: unknown) =>
      fetch(`${emulator.url}${pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await emulatorCall('/__emulator/stats/reset', {});
    const { clients } = (await (await call(request, 'a', 'GET', '/api/s/production/clients')).json()) as {
      clients: { clientId: string }[];
    };
    const run = `mi-job-${Date.now()}`;
    const rows = Array.from({ length: 4 }, (_, i) => ({
      grantType: 'PASSWORD',
      clientId: clients[0]!.clientId,
      subject: `${run}-${i}`,
      scopes: [],
    }));
    const chunks = [0, 1].map((seq) => ({
      rowFrom: seq * 2,
      rowTo: seq * 2 + 2,
      firstLine: seq * 2 + 2,
      lastLine: seq * 2 + 3,
    }));
    const created = await call(request, 'a', 'POST', '/api/s/production/jobs', {
      fileName: 'two-instances.csv',
      fileSha256: 'e'.repeat(64),
      fileBytes: 300,
      fileRows: 4,
      rowCount: 4,
      excludedRows: 0,
      generatedRows: 0,
      chunkSize: 2,
      chunks,
    });
    expect(created.status(), await created.text()).toBe(201);
    const jobId = ((await created.json()) as { job: { id: string } }).job.id;
    const on = (seq: number): Name => (seq % 2 === 0 ? 'a' : 'b');
    type Detail = { job: { state: string; tokensCreated: number }; chunks: { state: string; dryRunState: string }[] };
    const detail = async (via: Name) =>
      (await (await call(request, via, 'GET', `/api/s/production/jobs/${jobId}`)).json()) as Detail;

    for (const seq of [0, 1]) {
      const response = await call(request, on(seq), 'POST', `/api/s/production/jobs/${jobId}/chunks/${seq}/dry-run`, {
        tokens: rows.slice(seq * 2, seq * 2 + 2),
      });
      expect(response.status(), await response.text()).toBe(202);
    }
    // Reading never asks Authlete: the instances' workers do, whichever takes the step.
    await expect
      .poll(async () => (await detail('b')).chunks.map((chunk) => chunk.dryRunState), { timeout: 60_000 })
      .toEqual(['succeeded', 'succeeded']);

    // Authlete now answers status questions with 429 (Retry-After 2 s): the job stays processing.
    await emulatorCall('/__emulator/faults', {
      rateLimitRate: 1,
      retryAfterSeconds: 2,
      operations: ['auth_token_create_batch_status_api'],
    });
    for (const seq of [0, 1]) {
      const response = await call(sender, on(seq), 'POST', `/api/s/production/jobs/${jobId}/chunks/${seq}/submit`, {
        tokens: rows.slice(seq * 2, seq * 2 + 2),
      });
      expect(response.status(), await response.text()).toBe(202);
    }
    expect((await detail('a')).job.state).toBe('processing');

    // Both servers die mid-job (no clean stop), then come back.
    for (const instance of [instances.a!, instances.b!]) {
      const exited = new Promise((resolve) => instance.process.once('exit', resolve));
      instance.process.kill('SIGKILL');
      await exited;
    }
    await emulatorCall('/__emulator/faults', {});
    [instances.a, instances.b] = await Promise.all([
      startInstance('next start', shared, dataDirs[0]!),
      startInstance('standalone', shared, dataDirs[1]!),
    ]);
    await Promise.all([untilHealthy(instances.a!), untilHealthy(instances.b!)]);

    await expect.poll(async () => (await detail('a')).job.state, { timeout: 90_000 }).toBe('completed');
    expect((await detail('b')).job.tokensCreated).toBe(4);
    // Nothing lost, nothing done twice: each row's token exists once, and Authlete got one dry run
    // and one real batch request per chunk.
    for (const row of rows) {
      const list = await call(request, 'a', 'GET', `/api/s/production/tokens?subject=${row.subject}&status=all`);
      expect(((await list.json()) as { totalCount: number }).totalCount, row.subject).toBe(1);
    }
    const stats = (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as {
      operations: Record<string, number>;
    };
    expect(stats.operations.auth_token_create_batch_api).toBe(4);
    await Promise.all([request.dispose(), sender.dispose()]);
  });

  /** An admin-only read (the audit log) with the browser's cookies, through the given instance. */
  async function adminCall(page: Page, on: Name) {
    const response = await page.request.get(`${balancer.url}/api/s/production/audit`, {
      headers: { 'x-instance': on },
    });
    expect(response.headers()['x-served-by']).toBe(on);
    return response;
  }

  test('a role change and a disable made with the users CLI apply to a signed-in browser on its next request', async ({
    page,
  }) => {
    // An account of its own, so the demo accounts the other tests use keep their roles.
    const email = 'role-change@e2e.test';
    const password = 'role-change-e2e-password';
    const cli = (args: string[], stdin?: string) => usersCli(database.url, dataDirs[0]!, args, stdin);
    await cli(
      ['create', '--email', email, '--name', 'Role Change', '--role', 'admin', '--password-stdin'],
      `${password}\n`,
    );

    await page.goto(`${balancer.url}/tokens`);
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/tokens/);
    await expect(page.getByRole('link', { name: 'Audit' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'New token' })).toBeVisible();
    expect((await adminCall(page, 'b')).status()).toBe(200);

    expect(await cli(['set-role', '--email', email, '--role', 'viewer'])).toContain('admin → viewer');
    // The browser keeps its cookie; the next page it loads is rendered for a viewer.
    await page.goto(`${balancer.url}/tokens`);
    await expect(page.getByText(`Viewer · ${email}`)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Audit' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'New token' })).toHaveCount(0);
    // Refused by either instance, not only the one that rendered the page.
    for (const on of ['a', 'b'] as const) {
      const refused = await adminCall(page, on);
      expect(refused.status()).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }

    await cli(['disable', '--email', email]);
    await page.goto(`${balancer.url}/tokens`);
    await expect(page).toHaveURL(/\/sign-in/);
    expect((await page.request.get(`${balancer.url}/api/session`, { headers: { 'x-instance': 'b' } })).status()).toBe(
      401,
    );
  });
});
