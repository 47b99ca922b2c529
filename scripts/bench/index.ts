/**
 * `npm run bench [-- <name> [options]]`: benchmarks (never run by `npm test`). Without a name,
 * every registered benchmark runs in turn. Add a benchmark by registering its entry here.
 */
import { main as emulator } from './emulator';
import { main as exportBench } from './export';
import { main as firstLoad } from './first-load';
import { main as csv } from './csv';
import { main as load } from './load';
import { main as lookup } from './lookup';
import { main as revokeJob } from './revoke-job';
import { main as webhooks } from './webhooks';

const benchmarks: Record<string, (argv: string[]) => Promise<void>> = {
  emulator,
  'first-load': firstLoad,
  csv,
  load,
  lookup,
  export: exportBench,
  'revoke-job': revokeJob,
  webhooks,
};

async function run() {
  const [name, ...rest] = process.argv.slice(2);
  const selected = name && !name.startsWith('-') ? [name] : Object.keys(benchmarks);
  const argv = name && !name.startsWith('-') ? rest : process.argv.slice(2);
  for (const key of selected) {
    const bench = benchmarks[key];
    if (!bench) {
      console.error(`unknown benchmark '${key}'; available: ${Object.keys(benchmarks).join(', ')}`);
      process.exit(2);
    }
    console.log(`━━ bench: ${key}`);
    await bench(argv);
  }
}

run().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
