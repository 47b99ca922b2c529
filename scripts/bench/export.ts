/**
 * `npm run bench -- export [--tokens 100000] [--rounds 1]` (needs `next build` first). Exports one
 * client's tokens (status all) from the built dashboard against the emulator, both ways, side by
 * side: as an export job (start, poll, download) and as the browser does below the job threshold
 * (every page of `GET /api/tokens`, 100 at a time, one after another). Reports each path's time
 * and rows/s, their ratio, the app server's peak RSS growth during the job, and checks the job's
 * file is byte for byte the file the browser path would write.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { tokenCsvLine, tokenExportHeader } from '../../lib/csv/export-lines';
import type { Client, TokenListResponse } from '../../lib/schemas';
import type { ExportJob } from '../../lib/schemas/export';
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts';
import { DEMO_SERVICE_ACCESS_TOKEN, DEMO_SERVICE_ID } from '../../server/config/demo';
import { freePort } from '../../server/testing/free-port';
import { runStack } from '../run-stack';
import { waitForUrl } from './bare-next';

/** A demo client of the emulator's seed (server/emulator/seed.ts). */
const CLIENT_ID = '917364';
/** The browser export's page size (components/tokens/token-export.ts). */
const BROWSER_PAGE_SIZE = 100;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Adds `count` tokens of the client through the emulator's batch API, then waits until they all exist. */
async function seedClient(emulatorUrl: string, count: number): Promise<void> {
  const api = `${emulatorUrl}/api/${DEMO_SERVICE_ID}`;
  const headers = { authorization: `Bearer ${DEMO_SERVICE_ACCESS_TOKEN}`, 'content-type': 'application/json' };
  const before = await clientTotal(emulatorUrl);
  for (let from = 0; from < count; from += 1000) {
    const size = Math.min(1000, count - from);
    const element = (i: number) =>
      `{"grantType":"PASSWORD","clientId":${CLIENT_ID},"subject":"bench-export-${(from + i) % 5000}","scopes":["openid"]}`;
    const response = await fetch(`${api}/auth/token/create/batch`, {
      method: 'POST',
      headers,
      body: `[${Array.from({ length: size }, (_, i) => element(i)).join(',')}]`,
    });
    if (!response.ok) throw new Error(`batch create failed: ${response.status} ${await response.text()}`);
  }
  for (;;) {
    const total = await clientTotal(emulatorUrl);
    process.stderr.write(`  ${(total - before).toLocaleString('en-US')} / ${count.toLocaleString('en-US')} created\n`);
    if (total - before >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

async function clientTotal(emulatorUrl: string): Promise<number> {
  const search = new URLSearchParams({ clientIdentifier: CLIENT_ID, start: '0', end: '1', tokenStatus: 'ALL' });
  const response = await fetch(`${emulatorUrl}/api/${DEMO_SERVICE_ID}/auth/token/get/list?${search}`, {
    headers: { authorization: `Bearer ${DEMO_SERVICE_ACCESS_TOKEN}` },
  });
  return ((await response.json()) as { totalCount: number }).totalCount;
}

/** The demo admin's session cookie, signed in with the password as the sign-in page does. */
export async function signIn(appUrl: string): Promise<string> {
  const response = await fetch(`${appUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: appUrl },
    body: JSON.stringify({ email: 'admin@demo.local', password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

/** The pid listening on a loopback port (Linux `ss`), to read the server's memory from /proc. */
export function listeningPid(port: number): number {
  const line = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(line)?.[1];
  if (!pid) throw new Error(`no process listens on port ${port}`);
  return Number(pid);
}

export function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

interface Measured {
  seconds: number;
  rows: number;
  sha: string;
}

/** What the browser does below the job threshold: every page, one after another, into CSV lines. */
async function browserPath(appUrl: string, cookie: string, clients: Map<string, Client>): Promise<Measured> {
  const started = performance.now();
  const parts = [tokenExportHeader];
  let rows = 0;
  for (let page = 1; ; page++) {
    const response = await fetch(
      `${appUrl}/api/tokens?clientId=${CLIENT_ID}&status=all&page=${page}&pageSize=${BROWSER_PAGE_SIZE}`,
      { headers: { cookie } },
    );
    if (!response.ok) throw new Error(`token page ${page}: ${response.status} ${await response.text()}`);
    const { tokens, totalCount } = (await response.json()) as TokenListResponse;
    parts.push(tokens.map((token) => tokenCsvLine(token, clients)).join(''));
    rows += tokens.length;
    if (tokens.length === 0 || rows >= totalCount) break;
  }
  return { seconds: (performance.now() - started) / 1000, rows, sha: sha256(parts.join('')) };
}

/** The export job: start, follow its progress, download the file. RSS is sampled all along. */
async function jobPath(appUrl: string, cookie: string, pid: number): Promise<Measured & { peakRssGrowth: number }> {
  const baseline = rssBytes(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 100);
  const started = performance.now();
  try {
    const headers = { cookie, origin: appUrl, 'content-type': 'application/json' };
    const created = await fetch(`${appUrl}/api/exports/tokens`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ clientId: CLIENT_ID, status: 'all' }),
    });
    if (created.status !== 201) throw new Error(`export start: ${created.status} ${await created.text()}`);
    const { export: job } = (await created.json()) as { export: ExportJob };
    for (let state = job.state; state !== 'succeeded';) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const response = await fetch(`${appUrl}/api/exports/${job.id}`, { headers: { cookie } });
      const { export: now } = (await response.json()) as { export: ExportJob };
      if (now.state === 'failed') throw new Error(`export failed: ${now.error}`);
      state = now.state;
    }
    const file = await fetch(`${appUrl}/api/exports/${job.id}/download`, { headers: { cookie } });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await file.arrayBuffer());
    const rows = text.split('\r\n').filter(Boolean).length - 1;
    return { seconds: (performance.now() - started) / 1000, rows, sha: sha256(text), peakRssGrowth: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { tokens: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '1' } },
  });
  const tokens = Math.max(Number(values.tokens), 1_000);
  const rounds = Math.min(Math.max(Number(values.rounds), 1), 5);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'token-desk-export-bench-'));
  const appPort = await freePort();
  const stack = await runStack({
    appPort,
    emulatorPort: await freePort(),
    dataDir,
    env: {
      // The paths are measured, not the per-person read limit (the browser path makes a read per page).
      READ_RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
    },
  });
  try {
    await waitForUrl(`${stack.appUrl}/api/health`);
    console.log(`Adding ${tokens.toLocaleString('en-US')} tokens to client ${CLIENT_ID}…`);
    await seedClient(stack.emulatorUrl, tokens);
    const cookie = await signIn(stack.appUrl);
    const clients = new Map(
      (
        (await (await fetch(`${stack.appUrl}/api/clients`, { headers: { cookie } })).json()) as { clients: Client[] }
      ).clients.map((client) => [client.clientId, client]),
    );
    const pid = listeningPid(appPort);
    for (let round = 1; round <= rounds; round++) {
      // Alternated, so background load on the machine hits both alike.
      const browser = await browserPath(stack.appUrl, cookie, clients);
      const job = await jobPath(stack.appUrl, cookie, pid);
      const rate = (m: Measured) => Math.round(m.rows / m.seconds).toLocaleString('en-US');
      console.log(`round ${round}: client ${CLIENT_ID}, ${job.rows.toLocaleString('en-US')} tokens`);
      console.log(
        `  browser path (pages of ${BROWSER_PAGE_SIZE}): ${browser.seconds.toFixed(1)} s, ${rate(browser)} rows/s`,
      );
      console.log(
        `  export job (start → download): ${job.seconds.toFixed(1)} s, ${rate(job)} rows/s, app peak RSS growth ${(job.peakRssGrowth / 1_048_576).toFixed(0)} MB`,
      );
      console.log(`  job ÷ browser time: ${(job.seconds / browser.seconds).toFixed(2)}×`);
      console.log(`  same file both ways: ${job.sha === browser.sha && job.rows === browser.rows ? 'yes' : 'NO'}`);
      if (job.sha !== browser.sha || job.rows !== browser.rows) process.exitCode = 1;
    }
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
