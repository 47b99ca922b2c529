/**
 * `npm run emulator`: the Authlete-compatible emulator as its own process.
 *
 *   EMULATOR_HOST      (default 127.0.0.1)
 *   EMULATOR_PORT      (default 4010, server/config/demo.ts)
 *   EMULATOR_DATA_DIR  (default .data/emulator) - data survives restarts
 *   EMULATOR_FAULTS    JSON fault injection, e.g. {"latencyMs":300,"errorRate":0.05}
 *   EMULATOR_ALLOWED_HOSTS  host names it answers for besides loopback ones and its own address,
 *                      comma-separated (e.g. emulator,authlete.internal): only when reached by name
 *   --seed-tokens N    tokens to generate on first start (default 3000; e.g. 1000000 for benchmarks)
 *   --services FILE    JSON array of more services to serve (3.x with accessToken, 2.x with apiSecret;
 *                      schema: serviceSeedSchema in seed.ts), added when their id is missing
 *   --single-service   leave out the demo's staging (3.x) and Authlete 2.x services
 *   --reset            delete the data folder first
 *   --port N / --host H / --data-dir D override the variables
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_EMULATOR_HOST, DEMO_EMULATOR_PORT } from '../config/demo';
import { faultsFromEnv } from './faults';
import {
  DEMO_ORGANIZATION_ACCESS_TOKEN,
  LEGACY_SERVICE_API_KEY,
  LEGACY_SERVICE_API_SECRET,
  STAGING_SERVICE_ACCESS_TOKEN,
  STAGING_SERVICE_ID,
  serviceSeedSchema,
} from './seed';
import { hostNameOf, startEmulator } from './server';

function fail(message: string): never {
  console.error(`emulator: ${message}`);
  process.exit(2);
}

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) fail(`${name} must be an integer ≥ ${min}, got '${raw}'`);
  return Number(raw);
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        'seed-tokens': { type: 'string' },
        reset: { type: 'boolean', default: false },
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        services: { type: 'string' },
        'single-service': { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const env = process.env;
  const host = args.host ?? env.EMULATOR_HOST ?? DEMO_EMULATOR_HOST;
  const port = positiveInt('EMULATOR_PORT', args.port ?? env.EMULATOR_PORT, DEMO_EMULATOR_PORT);
  if (port > 65535) fail(`EMULATOR_PORT must be at most 65535, got ${port}`);
  const allowedHosts = (env.EMULATOR_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of allowedHosts)
    if (!hostNameOf(name)) fail(`EMULATOR_ALLOWED_HOSTS must be host names without scheme or path, got '${name}'`);
  const dataDir = path.resolve(args['data-dir'] ?? env.EMULATOR_DATA_DIR ?? '.data/emulator');
  const tokens = args['seed-tokens'] === undefined ? undefined : positiveInt('--seed-tokens', args['seed-tokens'], 0);
  let faults;
  try {
    faults = faultsFromEnv({ EMULATOR_FAULTS: env.EMULATOR_FAULTS });
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  let services;
  if (args.services !== undefined) {
    try {
      services = serviceSeedSchema.array().parse(JSON.parse(readFileSync(args.services, 'utf8')));
    } catch (e) {
      fail(`--services ${args.services}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (args.reset) {
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`emulator: reset ${dataDir}`);
  }

  const started = Date.now();
  let lastProgress = 0;
  const emulator = await startEmulator({
    host,
    port,
    dataDir,
    allowedHosts,
    seed: { tokens, environments: !args['single-service'] },
    services,
    faults,
    log: (line) => console.log(`[emulator] ${line}`),
    onSeedProgress: (inserted, total) => {
      if (total >= 100_000 && (inserted - lastProgress >= 100_000 || inserted === total)) {
        lastProgress = inserted;
        console.log(`emulator: seeded ${inserted.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} tokens`);
      }
    },
  });
  console.log(
    `emulator: ${emulator.seeded ? 'seeded demo data' : 'using existing data'} in ${dataDir} (${Date.now() - started} ms)\n` +
      `emulator: Authlete API at ${emulator.url}  service id ${emulator.serviceId}  service token ${emulator.serviceAccessToken}\n` +
      `emulator: control endpoints ${emulator.url}/__emulator/{health,faults,stats}`,
  );
  if (!args['single-service']) {
    console.log(
      `emulator: staging (3.x) service id ${STAGING_SERVICE_ID}  service token ${STAGING_SERVICE_ACCESS_TOKEN}\n` +
        `emulator: Authlete 2.x service (HTTP Basic) API key ${LEGACY_SERVICE_API_KEY}  API secret ${LEGACY_SERVICE_API_SECRET}\n` +
        `emulator: organization token ${DEMO_ORGANIZATION_ACCESS_TOKEN} (GET /api/service/get/list)`,
    );
  }
  if (services) console.log(`emulator: ${services.length} more service(s) from ${args.services}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`emulator: ${signal}, shutting down`);
    emulator.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error('emulator: shutdown failed', e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EADDRINUSE') fail(`port already in use (${err.message}); set EMULATOR_PORT`);
  console.error('emulator: failed to start:', e);
  process.exit(1);
});
