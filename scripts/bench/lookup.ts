/**
 * Token reads on a big service (not a test): the BFF's Authlete client against an emulator of 1M
 * tokens, as the routes call it. Lookup by pasted value (found, not found), the default token page
 * and the subject view, each with its upstream call count from the emulator's stats, beside a
 * floor measured in the same run: one bare 20-token list call. Target: a lookup answers within 2 s
 * with at most a handful of upstream calls.
 *
 *   npm run bench -- lookup [--tokens N] [--rounds N] [--url http://127.0.0.1:4213]
 *
 * With --url it uses a running emulator (e.g. `npm run emulator -- --port 4213 --seed-tokens 1000000
 * --data-dir /tmp/big`), else it seeds one into a temporary folder.
 */
import { parseArgs } from 'node:util';
import { createAuthleteClient } from '../../server/authlete/client';
import { DEMO_SERVICE_ACCESS_TOKEN, DEMO_SERVICE_ID } from '../../server/config/demo';
import { DEMO_CLIENTS, subjectName } from '../../server/emulator/seed';
import { startSeededEmulator } from './seeded-emulator';

/** The token page's defaults (components/tokens/list-params.ts): valid tokens, 20 a page. */
const DEFAULT_PAGE = { status: 'valid' as const, size: 20 };
/** The subject view reads a subject's tokens 100 at a time (components/subjects/subject-tokens.ts). */
const SUBJECT_VIEW_PAGE = 100;
const TARGET_MS = 2_000;
const MAX_LOOKUP_CALLS = 3;

interface Row {
  name: string;
  p50: number;
  max: number;
  /** Upstream calls per run (emulator stats). */
  calls: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function seeded(tokens: number, url: string | undefined): Promise<{ url: string; close: () => Promise<void> }> {
  if (url) return { url, close: async () => {} };
  const { emulator, close } = await startSeededEmulator(tokens, 'lookup-bench-');
  return { url: emulator.url, close };
}

export async function benchLookup(options: {
  tokens: number;
  rounds: number;
  url?: string;
}): Promise<{ total: number; floor: Row; rows: Row[] }> {
  const emulator = await seeded(options.tokens, options.url);
  const control = async (path: string, method = 'GET') =>
    (await fetch(`${emulator.url}/__emulator/${path}`, { method })).json() as Promise<{ total: number }>;
  const client = createAuthleteClient({
    baseUrl: emulator.url,
    apiVersion: 3,
    serviceId: DEMO_SERVICE_ID,
    accessToken: DEMO_SERVICE_ACCESS_TOKEN,
    timeoutMs: 10_000,
  });
  try {
    const total = (await client.listTokens({ status: 'all' }, 0, 1)).totalCount;
    // A pasted value: a new token of a seeded subject (values of seeded tokens are never kept).
    const subject = subjectName(7);
    const clientId = DEMO_CLIENTS[0]!.clientId;
    const values: string[] = [];
    for (let i = 0; i < options.rounds; i++) {
      values.push(
        (await client.createToken({ grantType: 'AUTHORIZATION_CODE', clientId, subject, scopes: ['openid'] }))
          .accessToken,
      );
    }

    async function measure(name: string, run: (round: number) => Promise<unknown>): Promise<Row> {
      await run(-1);
      const times: number[] = [];
      let calls = 0;
      for (let round = 0; round < options.rounds; round++) {
        await control('stats/reset', 'POST');
        const started = performance.now();
        await run(round);
        times.push(performance.now() - started);
        calls += (await control('stats')).total;
      }
      return { name, p50: median(times), max: Math.max(...times), calls: calls / options.rounds };
    }

    const floor = await measure('floor: one 20-token list call', () => client.listTokens({ status: 'all' }, 0, 20));
    const rows = [
      await measure('lookup by value, found', async (round) => {
        const found = await client.lookupTokenByValue(values[Math.max(round, 0)]!);
        if (found.state !== 'active' || !found.complete) throw new Error('lookup did not find the full record');
      }),
      await measure('lookup by value, not found', async (round) => {
        await client.lookupTokenByValue(`never-issued-${round}-${Math.random()}`).then(
          () => {
            throw new Error('an unknown value was found');
          },
          (error: { code?: string }) => {
            if (error.code !== 'not_found') throw error;
          },
        );
      }),
      await measure('default token page (20 valid)', () =>
        client.listTokens({ status: DEFAULT_PAGE.status }, 0, DEFAULT_PAGE.size),
      ),
      await measure('subject view (first 100)', () =>
        client.listTokens({ status: 'all', subject }, 0, SUBJECT_VIEW_PAGE),
      ),
    ];
    return { total, floor, rows };
  } finally {
    await emulator.close();
  }
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { tokens: { type: 'string' }, rounds: { type: 'string' }, url: { type: 'string' } },
    allowPositionals: true,
  });
  const result = await benchLookup({
    tokens: values.tokens ? Number(values.tokens) : 1_000_000,
    rounds: values.rounds ? Number(values.rounds) : 15,
    url: values.url,
  });
  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(10);
  console.log(
    `\nToken reads through the BFF's Authlete client, ${result.total.toLocaleString('en-US')} tokens in the service`,
  );
  console.log(
    `${'read'.padEnd(34)} ${'p50'.padStart(10)} ${'max'.padStart(10)} ${'calls'.padStart(6)} ${'× floor'.padStart(8)}`,
  );
  for (const row of [result.floor, ...result.rows]) {
    console.log(
      `${row.name.padEnd(34)} ${ms(row.p50)} ${ms(row.max)} ${String(row.calls).padStart(6)} ${(row.p50 / result.floor.p50).toFixed(1).padStart(8)}`,
    );
  }
  const lookups = result.rows.slice(0, 2);
  const met = lookups.every((row) => row.max <= TARGET_MS && row.calls <= MAX_LOOKUP_CALLS);
  console.log(
    `target: every lookup ≤ ${TARGET_MS} ms with ≤ ${MAX_LOOKUP_CALLS} upstream calls → ${met ? 'met' : 'MISSED'}`,
  );
}
