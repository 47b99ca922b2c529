/** Playwright's web server: a fresh emulator and dashboard on test ports, in a throw-away data folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runStack } from './run-stack';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'token-desk-e2e-'));
// The throw-away data goes with the process, however it ends.
process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const stack = await runStack({
  appPort: Number(process.env.E2E_APP_PORT ?? 3100),
  emulatorPort: Number(process.env.E2E_EMULATOR_PORT ?? 4110),
  dataDir,
});
console.log(`e2e stack: dashboard ${stack.appUrl}, emulator ${stack.emulatorUrl}, data ${dataDir}`);
