/**
 * Emulator benchmark (not a test): seeds 1M tokens into a temporary data folder, then measures
 * token-list latency over HTTP for every status (ALL / VALID / INVALID) × filter (none, client,
 * subject, both) × offset (0, 500,000, 990,000), and the throughput of a 10k-token batch.
 * Target: every list call p50 ≤ 20 ms.
 *
 *   npm run bench -- emulator [--tokens N] [--requests N]
 */
import { parseArgs } from 'node:util';
import { DEMO_CLIENTS, subjectName } from '../../server/emulator/seed';
import { startSeededEmulator } from './seeded-emulator';

export interface LatencyResult {
  name: string;
  requests: number;
  p50: number;
  p99: number;
  mean: number;
}

export interface EmulatorBenchResult {
  tokens: number;
  seedSeconds: number;
  latencies: LatencyResult[];
  batch: { tokens: number; seconds: number; tokensPerSecond: number; result: string };
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Deterministic pseudo-random picks so two runs query the same things. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

export async function benchEmulator(
  options: { tokens?: number; requests?: number } = {},
): Promise<EmulatorBenchResult> {
  const tokens = options.tokens ?? 1_000_000;
  const requests = options.requests ?? 200;
  const seedStarted = performance.now();
  const { emulator, close } = await startSeededEmulator(tokens, 'emulator-bench-');
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const headers = { authorization: `Bearer ${emulator.serviceAccessToken}` };
  const base = `${emulator.url}/api/${emulator.serviceId}`;

  async function measure(name: string, makeQuery: (i: number) => string): Promise<LatencyResult> {
    for (let i = 0; i < 10; i++)
      await (await fetch(`${base}/auth/token/get/list?${makeQuery(-1 - i)}`, { headers })).arrayBuffer();
    const samples: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      const res = await fetch(`${base}/auth/token/get/list?${makeQuery(i)}`, { headers });
      await res.arrayBuffer();
      samples.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
    }
    samples.sort((a, b) => a - b);
    return {
      name,
      requests,
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      mean: samples.reduce((s, v) => s + v, 0) / samples.length,
    };
  }

  try {
    const subjects = Math.max(20, Math.round(tokens / 10));
    const pick = lcg(42);
    // Subjects are skewed (a few heavy users): pick uniformly across the whole pool.
    const subjectQuery = () => `subject=${encodeURIComponent(subjectName(pick(subjects)))}`;
    const clients = DEMO_CLIENTS.map((c) => c.alias);
    const clientQuery = () => `clientIdentifier=${clients[pick(clients.length)]}`;
    const filters: [string, () => string][] = [
      ['no filter', () => ''],
      ['client', () => `${clientQuery()}&`],
      ['subject', () => `${subjectQuery()}&`],
      ['client + subject', () => `${clientQuery()}&${subjectQuery()}&`],
    ];
    const latencies: LatencyResult[] = [];
    for (const status of ['ALL', 'VALID', 'INVALID']) {
      for (const [filterName, filter] of filters) {
        for (const start of [0, 500_000, 990_000]) {
          const name = `${status}, ${filterName}, start ${start.toLocaleString('en-US')}`;
          latencies.push(
            await measure(name, () => `${filter()}tokenStatus=${status}&start=${start}&end=${start + 20}`),
          );
        }
      }
    }

    const batchSize = 10_000;
    const elements = Array.from({ length: batchSize }, (_, i) => ({
      grantType: 'AUTHORIZATION_CODE',
      clientId: 26888344961664,
      subject: `bench-batch-${i % 1000}`,
      scopes: ['openid', 'payments.read'],
    }));
    const batchStarted = performance.now();
    const accepted = await fetch(`${base}/auth/token/create/batch`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(elements),
    });
    const { requestId } = (await accepted.json()) as { requestId: string };
    let result = '';
    let count = 0;
    while (!result) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const status = (await (
        await fetch(`${base}/auth/token/create/batch/status/${requestId}`, { headers })
      ).json()) as {
        status: { result?: string; tokenCount: number };
      };
      result = status.status.result ?? '';
      count = status.status.tokenCount;
    }
    const seconds = (performance.now() - batchStarted) / 1000;
    return {
      tokens,
      seedSeconds,
      latencies,
      batch: { tokens: count, seconds, tokensPerSecond: count / seconds, result },
    };
  } finally {
    await close();
  }
}

export function printEmulatorBench(r: EmulatorBenchResult): void {
  const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(10);
  console.log(
    `\nEmulator token list over HTTP, ${r.tokens.toLocaleString('en-US')} tokens (seeded in ${r.seedSeconds.toFixed(1)} s)`,
  );
  console.log(
    `${'query'.padEnd(40)} ${'requests'.padStart(8)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${'mean'.padStart(10)}`,
  );
  for (const l of r.latencies) {
    console.log(`${l.name.padEnd(40)} ${String(l.requests).padStart(8)} ${ms(l.p50)} ${ms(l.p99)} ${ms(l.mean)}`);
  }
  const slowest = r.latencies.reduce((a, b) => (b.p50 > a.p50 ? b : a));
  console.log(
    `target: every list p50 ≤ 20 ms → ${slowest.p50 <= 20 ? 'met' : 'MISSED'} (slowest: ${slowest.name}, ${slowest.p50.toFixed(2)} ms)`,
  );
  console.log(
    `\nBatch create: ${r.batch.tokens.toLocaleString('en-US')} tokens ${r.batch.result} in ${r.batch.seconds.toFixed(2)} s → ` +
      `${Math.round(r.batch.tokensPerSecond).toLocaleString('en-US')} tokens/s`,
  );
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { tokens: { type: 'string' }, requests: { type: 'string' } },
    allowPositionals: true,
  });
  const result = await benchEmulator({
    tokens: values.tokens ? Number(values.tokens) : undefined,
    requests: values.requests ? Number(values.requests) : undefined,
  });
  printEmulatorBench(result);
}
