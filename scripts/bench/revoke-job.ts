/**
 * `npm run bench -- revoke-job [--tokens 100000] [--concurrency 8]` (needs `next build` first).
 * Revokes `tokens` tokens of one client twice per query, side by side in the same run: directly
 * against the emulator (its own revoke API at `concurrency` calls at a time), then through the
 * dashboard's revoke job at the same concurrency. Queries: a subject list (one subject per token,
 * uploaded as the browser does, in chunks) and client + scope (scanned, then revoked by hash).
 * Reports each path's time and revocations/s, the ratio (target ≥ 0.8×), the app server's peak
 * RSS growth while the job runs (target < 100 MB), and counts in the emulator afterwards: nothing
 * lost (the client has no token left) and nothing twice (Authlete's counts add up to `tokens`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pMap from 'p-map';
import type { RevokeJob } from '../../lib/schemas/incident';
import { SUBJECT_CHUNK_SIZE } from '../../lib/schemas/incident';
import { DEMO_SERVICE_ACCESS_TOKEN, DEMO_SERVICE_ID } from '../../server/config/demo';
import { freePort } from '../../server/testing/free-port';
import { runStack } from '../run-stack';
import { waitForUrl } from './bare-next';
import { listeningPid, rssBytes, signIn } from './export';

/** A demo client of the emulator's seed (server/emulator/seed.ts); its seeded tokens are revoked first. */
const CLIENT_ID = '917364';
/** A scope the demo service supports (a batch with an unsupported one fails as a whole). */
const SCOPE = 'payments.write';
/** The demo service's slug in the dashboard: the emulator's demo service plays production. */
const SERVICE_SLUG = 'production';

interface Emu {
  url: string;
  headers: Record<string, string>;
}

const api = (emu: Emu, p: string) => `${emu.url}/api/${DEMO_SERVICE_ID}${p}`;

async function clientTotal(emu: Emu): Promise<number> {
  const search = new URLSearchParams({ clientIdentifier: CLIENT_ID, start: '0', end: '1', tokenStatus: 'ALL' });
  const response = await fetch(api(emu, `/auth/token/get/list?${search}`), { headers: emu.headers });
  return ((await response.json()) as { totalCount: number }).totalCount;
}

/** `count` tokens of the client, subject `bench-i`, scope SCOPE, through the batch API; waits until all exist. */
async function seed(emu: Emu, count: number): Promise<void> {
  const before = await clientTotal(emu);
  const requestIds: string[] = [];
  for (let from = 0; from < count; from += 1000) {
    const size = Math.min(1000, count - from);
    const element = (i: number) =>
      `{"grantType":"PASSWORD","clientId":${CLIENT_ID},"subject":"bench-${from + i}","scopes":["openid","${SCOPE}"]}`;
    const response = await fetch(api(emu, '/auth/token/create/batch'), {
      method: 'POST',
      headers: { ...emu.headers, 'content-type': 'application/json' },
      body: `[${Array.from({ length: size }, (_, i) => element(i)).join(',')}]`,
    });
    if (!response.ok) throw new Error(`batch create failed: ${response.status} ${await response.text()}`);
    requestIds.push(((await response.json()) as { requestId: string }).requestId);
  }
  // Batches run in the background: a failed one would otherwise leave this waiting for ever.
  for (const requestId of requestIds) {
    for (;;) {
      const status = await fetch(api(emu, `/auth/token/create/batch/status/${requestId}`), { headers: emu.headers });
      const { status: batch } = (await status.json()) as { status: { result: string; errorDescription?: string } };
      if (batch.result === 'SUCCEEDED') break;
      if (batch.result === 'FAILED') throw new Error(`seeding failed: ${batch.errorDescription}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  if ((await clientTotal(emu)) - before < count) throw new Error('seeding created fewer tokens than asked');
}

/** Revokes every token of the client (Authlete's revoke by client alone), so counts afterwards mean only the bench's. */
async function emptyClient(emu: Emu): Promise<void> {
  const response = await fetch(api(emu, '/auth/token/revoke'), {
    method: 'POST',
    headers: { ...emu.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ clientIdentifier: CLIENT_ID }),
  });
  if (!response.ok) throw new Error(`emptying the client: ${response.status} ${await response.text()}`);
  if ((await clientTotal(emu)) !== 0) throw new Error(`client ${CLIENT_ID} still has tokens after a revoke by client`);
}

/** Every token hash of the client (not timed: the direct path is given them). */
async function hashes(emu: Emu, total: number): Promise<string[]> {
  const starts = Array.from({ length: Math.ceil(total / 20) }, (_, i) => i * 20);
  const pages = await pMap(
    starts,
    async (start) => {
      const search = new URLSearchParams({
        clientIdentifier: CLIENT_ID,
        start: String(start),
        end: String(start + 20),
        tokenStatus: 'ALL',
      });
      const response = await fetch(api(emu, `/auth/token/get/list?${search}`), { headers: emu.headers });
      return ((await response.json()) as { accessTokens?: { accessTokenHash: string }[] }).accessTokens ?? [];
    },
    { concurrency: 8 },
  );
  return [...new Set(pages.flat().map((t) => t.accessTokenHash))];
}

/** The emulator's own revoke throughput: `bodies` sent at `concurrency`; returns seconds and Authlete's summed count. */
async function direct(emu: Emu, bodies: object[], concurrency: number): Promise<{ seconds: number; revoked: number }> {
  const started = performance.now();
  const counts = await pMap(
    bodies,
    async (body) => {
      const response = await fetch(api(emu, '/auth/token/revoke'), {
        method: 'POST',
        headers: { ...emu.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`revoke: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { count: number }).count;
    },
    { concurrency },
  );
  return { seconds: (performance.now() - started) / 1000, revoked: counts.reduce((a, b) => a + b, 0) };
}

interface JobRun {
  previewSeconds: number;
  seconds: number;
  job: RevokeJob;
  peakRssGrowth: number;
}

/** Drafts, uploads (subject list), previews and runs a job; times the run from start to completed. */
async function viaJob(
  appUrl: string,
  cookie: string,
  pid: number,
  query: object,
  subjects: string[] | null,
): Promise<JobRun> {
  const base = `${appUrl}/api/s/${SERVICE_SLUG}/incidents/revocations`;
  const headers = { cookie, origin: appUrl, 'content-type': 'application/json' };
  const send = async (url: string, body: unknown, method = 'POST') => {
    const response = await fetch(url, { method, headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as RevokeJob;
  };
  const read = async (id: string) =>
    (await (await fetch(`${base}/${id}`, { headers: { cookie } })).json()) as RevokeJob;
  const until = async (id: string, state: RevokeJob['state']) => {
    for (;;) {
      const job = await read(id);
      if (job.state === state) return job;
      if (job.state === 'failed' || job.state === 'cancelled') throw new Error(`job ${id} ${job.state}: ${job.error}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const previewStarted = performance.now();
  const draft = await send(base, { query });
  if (subjects) {
    for (let seq = 0; seq * SUBJECT_CHUNK_SIZE < subjects.length; seq++)
      await send(`${base}/${draft.id}/subjects`, {
        seq,
        subjects: subjects.slice(seq * SUBJECT_CHUNK_SIZE, (seq + 1) * SUBJECT_CHUNK_SIZE),
      });
  }
  await send(`${base}/${draft.id}/preview`, {});
  const previewed = await until(draft.id, 'previewed');
  const previewSeconds = (performance.now() - previewStarted) / 1000;

  const baseline = rssBytes(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 100);
  const started = performance.now();
  try {
    await send(`${base}/${draft.id}/start`, {
      query: previewed.query,
      digest: previewed.preview!.digest,
      confirmation: String(previewed.preview!.items),
      reason: 'revoke-job benchmark',
      ticket: 'BENCH-1',
    });
    const job = await until(draft.id, 'completed');
    return { previewSeconds, seconds: (performance.now() - started) / 1000, job, peakRssGrowth: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { tokens: { type: 'string', default: '100000' }, concurrency: { type: 'string', default: '8' } },
  });
  const tokens = Math.max(Number(values.tokens), 100);
  const concurrency = Math.min(Math.max(Number(values.concurrency), 1), 64);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'token-desk-revoke-bench-'));
  const appPort = await freePort();
  const stack = await runStack({
    appPort,
    emulatorPort: await freePort(),
    dataDir,
    env: {
      REVOKE_JOB_CONCURRENCY: String(concurrency),
      LOG_LEVEL: 'warn',
      READ_RATE_LIMIT_PER_MINUTE: '100000',
      // One sign-in starts every job of the run (starting one is a step-up action).
      STEP_UP_WINDOW_SECONDS: '3600',
    },
  });
  const emu: Emu = { url: stack.emulatorUrl, headers: { authorization: `Bearer ${DEMO_SERVICE_ACCESS_TOKEN}` } };
  let failed = false;
  try {
    await waitForUrl(`${stack.appUrl}/api/health`);
    const cookie = await signIn(stack.appUrl);
    const pid = listeningPid(appPort);
    const subjects = Array.from({ length: tokens }, (_, i) => `bench-${i}`);
    const n = tokens.toLocaleString('en-US');
    const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en-US');

    await emptyClient(emu);
    for (const mode of ['subject list (CSV)', 'client + scope'] as const) {
      console.log(`${mode}: ${n} tokens of client ${CLIENT_ID}, concurrency ${concurrency}`);
      await seed(emu, tokens);
      const bodies =
        mode === 'client + scope'
          ? (await hashes(emu, tokens)).map((hash) => ({ accessTokenIdentifier: hash }))
          : subjects.map((subject) => ({ subject, clientIdentifier: CLIENT_ID }));
      const bare = await direct(emu, bodies, concurrency);
      const leftDirect = await clientTotal(emu);
      console.log(
        `  direct to the emulator: ${bare.seconds.toFixed(1)} s, ${rate(bodies.length, bare.seconds)} calls/s, revoked ${bare.revoked}, left ${leftDirect}`,
      );

      await seed(emu, tokens);
      const query =
        mode === 'client + scope'
          ? { clientIds: [CLIENT_ID], scopes: [SCOPE] }
          : { subjectList: true, clientIds: [CLIENT_ID] };
      const run = await viaJob(stack.appUrl, cookie, pid, query, mode === 'client + scope' ? null : subjects);
      const left = await clientTotal(emu);
      const { counts } = run.job;
      console.log(`  preview (${mode === 'client + scope' ? 'scan' : 'upload'}): ${run.previewSeconds.toFixed(1)} s`);
      console.log(
        `  revoke job (start → completed): ${run.seconds.toFixed(1)} s, ${rate(counts.done + counts.failed, run.seconds)} calls/s, app peak RSS growth ${(run.peakRssGrowth / 1_048_576).toFixed(0)} MB`,
      );
      console.log(`  job ÷ direct throughput: ${(bare.seconds / run.seconds).toFixed(2)}× (target ≥ 0.8×)`);
      const exact =
        left === 0 &&
        counts.revokedTokens === tokens &&
        counts.failed === 0 &&
        counts.done === counts.done + counts.remaining;
      console.log(
        `  in the emulator afterwards: ${left} left (lost: ${left}), Authlete counted ${counts.revokedTokens} revoked (duplicates: ${counts.revokedTokens - tokens + left}), failed ${counts.failed} — ${exact ? 'exact' : 'NOT EXACT'}`,
      );
      if (!exact) failed = true;
    }
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}
