/**
 * Starts the Authlete emulator and the built dashboard side by side, for the demo and the
 * end-to-end tests. The dashboard reaches the emulator only over HTTP, as it would reach Authlete.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '../server/emulator/server';

export interface StackOptions {
  appPort: number;
  emulatorPort: number;
  dataDir: string;
  /** Extra environment for the dashboard process. */
  env?: Record<string, string>;
}

export interface RunningStack {
  appUrl: string;
  emulatorUrl: string;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..');

/**
 * The self-contained server `next build` writes (`output: 'standalone'`), made runnable as
 * docs/deploy.md tells Node hosts: Next leaves the static files out, and the migrations are read
 * from the working folder, so both are copied in. Returns the path of its `server.js`.
 */
export function prepareStandaloneServer(): string {
  const standalone = path.join(root, '.next/standalone');
  cpSync(path.join(root, '.next/static'), path.join(standalone, '.next/static'), { recursive: true });
  if (existsSync(path.join(root, 'public')))
    cpSync(path.join(root, 'public'), path.join(standalone, 'public'), { recursive: true });
  cpSync(path.join(root, 'server/db/migrations'), path.join(standalone, 'server/db/migrations'), { recursive: true });
  return path.join(standalone, 'server.js');
}

export async function runStack(options: StackOptions): Promise<RunningStack> {
  const emulator = await startEmulator({
    host: '127.0.0.1',
    port: options.emulatorPort,
    dataDir: path.join(options.dataDir, 'emulator'),
    seed: { demo: true, environments: true },
  });
  const appUrl = `http://127.0.0.1:${options.appPort}`;
  // The production server of a Node host, not `next start` (which the standalone output replaces).
  const server = prepareStandaloneServer();
  const app: ChildProcess = spawn(process.execPath, [server], {
    cwd: path.dirname(server),
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(options.appPort),
      HOSTNAME: '127.0.0.1',
      // Absolute: the standalone server works from its own folder.
      DATA_DIR: path.resolve(options.dataDir),
      EMULATOR_PORT: String(options.emulatorPort),
      APP_URL: appUrl,
      // One JSON access line per API call would flood the demo's terminal and the test output.
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...options.env,
    },
  });
  const appExited = new Promise<void>((resolve) => app.once('exit', () => resolve()));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    app.kill('SIGTERM');
    await appExited;
    await emulator.close();
  };
  app.once('exit', (code) => {
    if (!stopping) {
      console.error(`The dashboard process exited unexpectedly (code ${code}).`);
      void emulator.close().then(() => process.exit(1));
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().then(() => process.exit(0)));
  }
  return { appUrl, emulatorUrl: emulator.url, stop };
}
