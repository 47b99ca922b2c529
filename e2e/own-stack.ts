import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runStack, type RunningStack } from '../scripts/run-stack';
import { freePort } from '../server/testing/free-port';
import { e2eSessionSecret } from './stack-secrets';

export interface OwnStack {
  stack: RunningStack;
  appPort: number;
  close(): Promise<void>;
}

/**
 * A spec's own emulator and dashboard on free ports with its own data folder and extra settings (a
 * short step-up window, say), started and answering before the spec goes on: what the shared e2e
 * stack cannot offer without changing it for every other spec.
 */
export async function startOwnStack(name: string, env: (appPort: number) => Record<string, string>): Promise<OwnStack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `token-desk-${name}-`));
  const appPort = await freePort();
  const stack = await runStack({
    appPort,
    emulatorPort: await freePort(),
    dataDir,
    env: { SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000', BETTER_AUTH_SECRET: e2eSessionSecret(), ...env(appPort) },
  });
  const until = Date.now() + 90_000;
  for (;;) {
    const live = await fetch(`${stack.appUrl}/api/health/live`).catch(() => null);
    if (live?.ok) break;
    if (Date.now() > until) throw new Error(`the ${name} stack did not start`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    stack,
    appPort,
    close: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
