/**
 * Baselines for benchmarks: a minimal App Router app built with this project's Next.js and started
 * with `next start` on loopback. Whatever a benchmark compares Token Desk with is measured on one
 * of these, built and run in the same run.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const nextBin = path.join(root, 'node_modules/next/dist/bin/next');

export interface BareNextApp {
  dir: string;
  /** Starts `next start` on 127.0.0.1:port with extra environment; resolves once it answers. */
  start(
    port: number,
    env?: Record<string, string>,
  ): Promise<{ url: string; process: ChildProcess; stop(): Promise<void> }>;
  remove(): void;
}

/**
 * Writes and builds a bare app: a root layout plus `files` (paths relative to the app folder,
 * e.g. `app/page.tsx` or `app/api/x/route.ts`). It lives inside the project's (ignored) data folder
 * because Turbopack resolves packages only from within its workspace root.
 */
export function buildBareNextApp(files: Record<string, string>): BareNextApp {
  const parent = path.join(root, '.data/bench');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, 'bare-next-'));
  mkdirSync(path.join(dir, 'app'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bare', private: true, type: 'module' }));
  writeFileSync(
    path.join(dir, 'next.config.mjs'),
    `export default { turbopack: { root: ${JSON.stringify(root)} } };\n`,
  );
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        jsx: 'react-jsx',
        strict: true,
        module: 'esnext',
        moduleResolution: 'bundler',
        target: 'ES2022',
        skipLibCheck: true,
        noEmit: true,
        isolatedModules: true,
        plugins: [{ name: 'next' }],
      },
      include: ['**/*.ts', '**/*.tsx'],
    }),
  );
  writeFileSync(
    path.join(dir, 'app/layout.tsx'),
    'export default function Layout({ children }: { children: React.ReactNode }) { return <html lang="en"><body>{children}</body></html>; }\n',
  );
  // Its own (empty) start-up hook, so Next does not pick up the project's instrumentation.ts.
  writeFileSync(path.join(dir, 'instrumentation.ts'), 'export function register(): void {}\n');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  try {
    execFileSync(process.execPath, [nextBin, 'build'], {
      cwd: dir,
      stdio: 'pipe',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `Building the bare Next.js app in ${dir} failed:\n${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`,
    );
  }
  return {
    dir,
    async start(port, env = {}) {
      const child = spawn(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)], {
        cwd: dir,
        stdio: 'ignore',
        env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...env },
      });
      const url = `http://127.0.0.1:${port}`;
      await waitForUrl(`${url}/`);
      return {
        url,
        process: child,
        stop: async () => {
          if (child.exitCode !== null) return;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        },
      };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Resolves once `url` answers with anything but a 5xx. */
export async function waitForUrl(url: string): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up`);
}

/** A loopback port nothing listens on right now. */
