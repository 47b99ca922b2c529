/**
 * `npm run bench -- load [--connections 16,32] [--seconds 10] [--sessions 8] [--revokes 3000]`
 * (needs `next build` first; prefix `bash scripts/with-postgres.sh` to use PostgreSQL as in production). Drives Token Desk's token list and revoke routes with several
 * signed-in sessions at once (autocannon, loopback only, bounded), beside a bare Next.js route
 * handler that makes the same upstream call to the same emulator, built and run in this run.
 * Each concurrency level is measured on its own: at a low one a server may wait on its database or
 * upstream rather than run out of CPU, so its throughput there says as much about latency as about
 * capacity; the higher one loads both servers to saturation.
 * Reports throughput and p99 for both, the ratio (target ≥ 0.7×), errors (target zero), and
 * afterwards counts the audit records and the tokens left in the emulator, so no revoke went
 * unrecorded and none was recorded that did not happen.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import pMap from 'p-map';
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts';
import { DEMO_SERVICE_ACCESS_TOKEN, DEMO_SERVICE_ID } from '../../server/config/demo';
import { createScratchDatabase, dropDatabases } from '../../server/db/test-database';
import { runStack } from '../run-stack';
import { freePort } from '../../server/testing/free-port';
import { buildBareNextApp, waitForUrl } from './bare-next';

const root = path.resolve(import.meta.dirname, '../..');

/** A demo client of the emulator's seed (server/emulator/seed.ts). */
const CLIENT_ID = 917364;
const LIST_PATH = '/api/tokens?status=all&page=1&pageSize=20';

/** The bare baseline: the same upstream calls as Token Desk's routes, and nothing else. */
const bareRoutes: Record<string, string> = {
  'app/api/upstream.ts': `
const base = \`\${process.env.UPSTREAM_URL}/api/\${process.env.UPSTREAM_SERVICE_ID}\`;
const headers = { authorization: \`Bearer \${process.env.UPSTREAM_TOKEN}\`, 'content-type': 'application/json' };
export async function upstream(method: string, path: string, body?: unknown): Promise<{ ok: boolean; body: Record<string, unknown> }> {
  const response = await fetch(\`\${base}\${path}\`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { ok: response.ok, body: (await response.json()) as Record<string, unknown> };
}
`,
  'app/api/tokens/route.ts': `
import { upstream } from '../upstream';
export const dynamic = 'force-dynamic';
export async function GET(request: Request) {
  const query = new URL(request.url).searchParams;
  const size = Number(query.get('pageSize') ?? 20);
  const start = (Number(query.get('page') ?? 1) - 1) * size;
  const search = new URLSearchParams({ start: String(start), end: String(start + size), tokenStatus: 'ALL' });
  const { ok, body } = await upstream('GET', \`/auth/token/get/list?\${search}\`);
  return Response.json({ tokens: body.accessTokens ?? [], totalCount: body.totalCount }, { status: ok ? 200 : 502 });
}
`,
  'app/api/tokens/[hash]/revoke/route.ts': `
import { upstream } from '../../../upstream';
export async function POST(_request: Request, { params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  const { ok, body } = await upstream('POST', '/auth/token/revoke', { accessTokenIdentifier: hash });
  return Response.json({ count: body.count }, { status: ok ? 200 : 502 });
}
`,
  'app/page.tsx': 'export default function Page() { return <p>bare</p>; }\n',
};

interface Measured {
  label: string;
  requestsPerSecond: number;
  p99Ms: number;
  total: number;
  errors: number;
  /** CPU time the server process spent per request (ms), when it could be measured. */
  cpuMsPerRequest: number | undefined;
}

/** One measured round: autocannon's result, the seconds requests were in flight, and the server's CPU seconds meanwhile. */
interface Round {
  result: Result;
  seconds: number;
  cpuSeconds: number | undefined;
}

/** Autocannon's result and the time from its start to its last response. */
interface Cannonade {
  result: Result;
  seconds: number;
}

/**
 * Runs autocannon and times it from the start to the last response: autocannon notices that a
 * fixed `amount` is done only at its next one-second sample, and its own `duration` would count
 * that idle wait as time spent.
 */
function cannonade(options: autocannon.Options): Promise<Cannonade> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let lastResponse = started;
    const instance = autocannon(options, (error, result) =>
      error ? reject(error as Error) : resolve({ result, seconds: (lastResponse - started) / 1000 }),
    );
    instance.on('response', () => {
      lastResponse = performance.now();
    });
  });
}

/**
 * The pid listening on a loopback port (Linux: `ss`), so the server's own CPU time can be read
 * from /proc. CPU per request does not depend on what else the machine is running; throughput does.
 */
function listeningPid(port: number): number | undefined {
  try {
    const line = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const pid = /pid=(\d+)/.exec(line)?.[1];
    return pid ? Number(pid) : undefined;
  } catch {
    return undefined;
  }
}

function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function measuredRound(pid: number | undefined, run: () => Promise<Cannonade>): Promise<Round> {
  const before = cpuSecondsOf(pid);
  const { result, seconds } = await run();
  const after = cpuSecondsOf(pid);
  return { result, seconds, cpuSeconds: before === undefined || after === undefined ? undefined : after - before };
}

/**
 * Sums rounds of one side: throughput over the time actually spent, p99 as the worst round's (the
 * rounds alternate with the other side's, so background load on the machine hits both alike).
 */
function summarise(label: string, rounds: Round[]): Measured {
  const total = rounds.reduce((sum, r) => sum + r.result.requests.total, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  const cpu = rounds.every((r) => r.cpuSeconds !== undefined)
    ? rounds.reduce((sum, r) => sum + r.cpuSeconds!, 0)
    : undefined;
  return {
    label,
    requestsPerSecond: total / seconds,
    p99Ms: Math.max(...rounds.map((r) => r.result.latency.p99)),
    total,
    errors: rounds.reduce((sum, r) => sum + r.result.errors + r.result.timeouts + r.result.non2xx, 0),
    cpuMsPerRequest: cpu === undefined || total === 0 ? undefined : (cpu * 1000) / total,
  };
}

/** Runs `desk` and `bare` alternately, `rounds` times each, reading each server's CPU time. */
async function alternate(
  rounds: number,
  pids: { desk: number | undefined; bare: number | undefined },
  desk: (round: number) => Promise<Cannonade>,
  bare: (round: number) => Promise<Cannonade>,
): Promise<[Round[], Round[]]> {
  const deskRounds: Round[] = [];
  const bareRounds: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    deskRounds.push(await measuredRound(pids.desk, () => desk(round)));
    bareRounds.push(await measuredRound(pids.bare, () => bare(round)));
  }
  return [deskRounds, bareRounds];
}

/** Fills the emulator with tokens to revoke, a few calls at a time; returns their hashes. */
async function createTokens(emulatorUrl: string, subject: string, count: number): Promise<string[]> {
  return pMap(
    Array.from({ length: count }),
    async () => {
      const response = await fetch(`${emulatorUrl}/api/${DEMO_SERVICE_ID}/auth/token/create`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_SERVICE_ACCESS_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ grantType: 'PASSWORD', clientId: CLIENT_ID, subject, scopes: ['openid'] }),
      });
      const body = (await response.json()) as { accessToken?: string; resultMessage?: string };
      if (!response.ok || !body.accessToken)
        throw new Error(`token create failed: ${response.status} ${body.resultMessage}`);
      // Token Desk names tokens by the SHA-256 of the value (base64url), as Authlete does.
      return createHash('sha256').update(body.accessToken).digest('base64url');
    },
    { concurrency: 16 },
  );
}

async function tokensLeft(emulatorUrl: string, subject: string): Promise<number> {
  const search = new URLSearchParams({ subject, start: '0', end: '1', tokenStatus: 'ALL' });
  const response = await fetch(`${emulatorUrl}/api/${DEMO_SERVICE_ID}/auth/token/get/list?${search}`, {
    headers: { authorization: `Bearer ${DEMO_SERVICE_ACCESS_TOKEN}` },
  });
  return ((await response.json()) as { totalCount: number }).totalCount;
}

async function signIn(appUrl: string, email: string): Promise<string> {
  const response = await fetch(`${appUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: appUrl },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

/**
 * One support account per session, made with the users CLI before the app starts (the embedded
 * database allows one process at a time). Each session is its own person, as in real use: a person's
 * change counter is one row, and a few people sharing hundreds of changes a second would make it
 * a hot spot no real team produces (the limit is 600 changes a minute per person by default).
 */
function createStaff(count: number, env: Record<string, string>): string[] {
  const emails = Array.from({ length: count }, (_, index) => `load-${index + 1}@bench.local`);
  for (const [index, email] of emails.entries()) {
    execFileSync(
      process.execPath,
      [
        '--conditions=react-server',
        '--import',
        'tsx',
        'server/cli/users.ts',
        'create',
        '--email',
        email,
        '--name',
        `Load ${index + 1}`,
        '--role',
        'support',
        '--password-stdin',
      ],
      { cwd: root, input: `${DEMO_PASSWORD}\n`, env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'inherit'] },
    );
  }
  return emails;
}

async function revokeOperations(emulatorUrl: string): Promise<number> {
  const stats = (await (await fetch(`${emulatorUrl}/__emulator/stats`)).json()) as {
    operations: Record<string, number>;
  };
  return stats.operations.auth_token_revoke_api ?? 0;
}

export async function main(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string', default: '16,32' },
      seconds: { type: 'string', default: '10' },
      sessions: { type: 'string', default: '8' },
      revokes: { type: 'string', default: '3000' },
    },
  });
  // Bounded whatever is asked: this runs on a developer's machine.
  const levels = values.connections.split(',').map((level) => Math.min(Math.max(Number(level), 1), 64));
  const seconds = Math.min(Math.max(Number(values.seconds), 1), 60);
  const sessionCount = Math.min(Math.max(Number(values.sessions), 1), 50);
  const revokes = Math.min(Math.max(Number(values.revokes), 10), 20_000);

  // PostgreSQL as in production when a server is given (bash scripts/with-postgres.sh npm run bench -- load),
  // else the embedded PGlite of a single-host install.
  const postgresServer = process.env.TEST_DATABASE_URL;
  const database = postgresServer ? await createScratchDatabase(postgresServer, 'bench') : undefined;
  console.log(`App database: ${database ? 'PostgreSQL (scratch database on TEST_DATABASE_URL)' : 'embedded PGlite'}`);
  console.log('Building the bare Next.js baseline…');
  const bareApp = buildBareNextApp(bareRoutes);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'token-desk-load-'));
  const databaseEnv = { DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) };
  console.log(`Creating ${sessionCount} staff accounts…`);
  const staff = createStaff(sessionCount, databaseEnv);
  const stack = await runStack({
    appPort: await freePort(),
    emulatorPort: await freePort(),
    dataDir,
    env: {
      // The benchmark measures the routes, not the abuse limits: these are set out of the way.
      MUTATION_RATE_LIMIT_PER_MINUTE: '100000',
      SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000',
      LOG_LEVEL: 'warn',
      ...databaseEnv,
    },
  });
  await waitForUrl(`${stack.appUrl}/api/health`);
  const bare = await bareApp.start(await freePort(), {
    UPSTREAM_URL: stack.emulatorUrl,
    UPSTREAM_SERVICE_ID: DEMO_SERVICE_ID,
    UPSTREAM_TOKEN: DEMO_SERVICE_ACCESS_TOKEN,
  });
  try {
    const cookies: string[] = [];
    for (const email of staff) cookies.push(await signIn(stack.appUrl, email));
    let turn = 0;
    const nextCookie = () => cookies[turn++ % cookies.length]!;
    const deskHeaders = () => ({ cookie: nextCookie(), origin: stack.appUrl, 'content-type': 'application/json' });

    const list = (url: string, desk: boolean, connections: number, duration: number) =>
      cannonade({
        url,
        connections,
        duration,
        requests: [
          {
            method: 'GET',
            path: LIST_PATH,
            setupRequest: (request) => ({ ...request, headers: desk ? deskHeaders() : {} }),
          },
        ],
      });
    const revoke = (url: string, desk: boolean, connections: number, hashes: string[]) =>
      cannonade({
        url,
        connections,
        amount: hashes.length,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => ({
              ...request,
              path: `/api/tokens/${hashes.pop()}/revoke`,
              headers: desk ? deskHeaders() : { 'content-type': 'application/json' },
              body: '{}',
            }),
          },
        ],
      });

    console.log(`Warming up (${sessionCount} sessions, ${levels[0]} connections)…`);
    await list(stack.appUrl, true, levels[0]!, 2);
    await list(bare.url, false, levels[0]!, 2);

    const deskSubject = `load-desk-${Date.now()}`;
    const bareSubject = `load-bare-${Date.now()}`;
    const revokesSent = revokes * levels.length;
    console.log(`Creating ${revokesSent} tokens for each side to revoke…`);
    const deskHashes = await createTokens(stack.emulatorUrl, deskSubject, revokesSent);
    const bareHashes = await createTokens(stack.emulatorUrl, bareSubject, revokesSent);

    const rounds = 3;
    const pids = {
      desk: listeningPid(Number(new URL(stack.appUrl).port)),
      bare: listeningPid(Number(new URL(bare.url).port)),
    };
    const revokesBefore = await revokeOperations(stack.emulatorUrl);
    const measured: { connections: number; list: [Measured, Measured]; revoke: [Measured, Measured] }[] = [];
    for (const [index, connections] of levels.entries()) {
      console.log(
        `Measuring at ${connections} connections: token list ${seconds} s each, then ${revokes} revokes each…`,
      );
      const [deskList, bareList] = await alternate(
        rounds,
        pids,
        () => list(stack.appUrl, true, connections, seconds / rounds),
        () => list(bare.url, false, connections, seconds / rounds),
      );
      // Each level revokes its own tokens, a third per round.
      const share = (hashes: string[], round: number) => {
        const first = index * revokes;
        return hashes.slice(
          first + Math.floor((revokes * round) / rounds),
          first + Math.floor((revokes * (round + 1)) / rounds),
        );
      };
      const [deskRevoke, bareRevoke] = await alternate(
        rounds,
        pids,
        (round) => revoke(stack.appUrl, true, connections, share(deskHashes, round)),
        (round) => revoke(bare.url, false, connections, share(bareHashes, round)),
      );
      measured.push({
        connections,
        list: [summarise('list  Token Desk', deskList), summarise('list  bare Next.js', bareList)],
        revoke: [summarise('revoke Token Desk', deskRevoke), summarise('revoke bare Next.js', bareRevoke)],
      });
    }
    const deskRevokeCalls = (await revokeOperations(stack.emulatorUrl)) - revokesBefore - revokesSent;

    // Count what was recorded and what Authlete did: none lost, none invented.
    const admin = await signIn(stack.appUrl, 'admin@demo.local');
    const audit = async (outcome: string) => {
      const response = await fetch(`${stack.appUrl}/api/audit?action=token.revoke&outcome=${outcome}&pageSize=20`, {
        headers: { cookie: admin },
      });
      if (!response.ok) throw new Error(`audit query failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { totalCount: number }).totalCount;
    };
    const [auditSuccesses, auditFailures, deskLeft, bareLeft] = await Promise.all([
      audit('success'),
      audit('failure'),
      tokensLeft(stack.emulatorUrl, deskSubject),
      tokensLeft(stack.emulatorUrl, bareSubject),
    ]);

    const ratio = (desk: Measured, baseline: Measured) => desk.requestsPerSecond / baseline.requestsPerSecond;
    const cpuRatio = (desk: Measured, baseline: Measured) =>
      desk.cpuMsPerRequest && baseline.cpuMsPerRequest
        ? `${(baseline.cpuMsPerRequest / desk.cpuMsPerRequest).toFixed(2)}×`
        : 'n/a';
    console.log(
      `\nLoad on loopback (autocannon; Token Desk with sessions, rate limits and audit log in ${database ? 'PostgreSQL' : 'PGlite'})`,
    );
    const belowTarget: string[] = [];
    for (const level of measured) {
      console.log(
        `\n  ${level.connections} connections          req/s     p99 ms   requests  errors  server CPU ms/req`,
      );
      for (const r of [...level.list, ...level.revoke]) {
        console.log(
          `  ${r.label.padEnd(21)} ${r.requestsPerSecond.toFixed(0).padStart(7)} ${r.p99Ms.toFixed(0).padStart(9)} ${String(r.total).padStart(10)} ${String(r.errors).padStart(7)}  ${r.cpuMsPerRequest === undefined ? 'n/a' : r.cpuMsPerRequest.toFixed(2).padStart(8)}`,
        );
      }
      const listRatio = ratio(...level.list);
      const revokeRatio = ratio(...level.revoke);
      if (listRatio < 0.7) belowTarget.push(`list at ${level.connections} connections`);
      if (revokeRatio < 0.7) belowTarget.push(`revoke at ${level.connections} connections`);
      console.log(
        `  throughput ratio: list ${listRatio.toFixed(2)}×, revoke ${revokeRatio.toFixed(2)}×  (target ≥ 0.70×)`,
      );
      console.log(
        `  CPU-efficiency ratio (bare CPU/req ÷ Token Desk CPU/req): list ${cpuRatio(...level.list)}, revoke ${cpuRatio(...level.revoke)}`,
      );
    }
    const deskRevokesSent = measured.reduce((sum, level) => sum + level.revoke[0].total, 0);
    console.log(
      `\n  audit: ${auditSuccesses} revoke successes and ${auditFailures} failures recorded for ${deskRevokesSent} revokes sent; ` +
        `Authlete saw ${deskRevokeCalls} revoke calls and has ${deskLeft} of those tokens left (bare side: ${bareLeft} left)`,
    );
    const errors = measured.reduce(
      (sum, level) => sum + [...level.list, ...level.revoke].reduce((n, r) => n + r.errors, 0),
      0,
    );
    const agree =
      auditSuccesses === revokesSent && auditFailures === 0 && deskRevokeCalls === revokesSent && deskLeft === 0;
    console.log(
      `  ${errors === 0 ? '✓ zero errors' : `✗ ${errors} errors`}; ${agree ? '✓ no audit record lost' : '✗ the audit log and Authlete disagree'}; ` +
        `${belowTarget.length > 0 ? `✗ below the 0.70× target: ${belowTarget.join(', ')}` : '✓ at or above 0.70× at every level'}`,
    );
    if (errors > 0 || !agree) process.exitCode = 1;
  } finally {
    await bare.stop();
    await stack.stop();
    bareApp.remove();
    rmSync(dataDir, { recursive: true, force: true });
    if (postgresServer && database) await dropDatabases(postgresServer, [database.name]);
  }
}
