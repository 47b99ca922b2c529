/**
 * `npm run bench -- first-load` (needs `next build` first). First-load JavaScript of the token page beside a bare Next.js page, both built and measured in
 * this run with the same method: every script the browser downloads until the network is idle,
 * gzipped here at level 9 so both sides are compressed alike.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext } from '@playwright/test';
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts';
import { runStack } from '../run-stack';

const root = path.resolve(import.meta.dirname, '../..');
const nextBin = path.join(root, 'node_modules/next/dist/bin/next');
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * A minimal App Router app built with the same Next.js. It lives inside the project's (ignored)
 * data folder because Turbopack resolves packages only from within its workspace root.
 */
function buildBareApp(): string {
  const parent = path.join(root, '.data/bench');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, 'bare-next-'));
  mkdirSync(path.join(dir, 'app'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bare', private: true, type: 'module' }));
  writeFileSync(path.join(dir, 'next.config.mjs'), `export default { turbopack: { root: ${JSON.stringify(root)} } };\n`);
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { jsx: 'react-jsx', strict: true, module: 'esnext', moduleResolution: 'bundler', target: 'ES2022', skipLibCheck: true, noEmit: true, isolatedModules: true, plugins: [{ name: 'next' }] }, include: ['**/*.tsx'] }),
  );
  writeFileSync(
    path.join(dir, 'app/layout.tsx'),
    'export default function Layout({ children }: { children: React.ReactNode }) { return <html lang="en"><body>{children}</body></html>; }\n',
  );
  writeFileSync(
    path.join(dir, 'app/page.tsx'),
    "'use client';\nimport { useState } from 'react';\nexport default function Page() { const [n, setN] = useState(0); return <button onClick={() => setN(n + 1)}>{n}</button>; }\n",
  );
  execFileSync(process.execPath, [nextBin, 'build'], { cwd: dir, stdio: 'ignore', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  return dir;
}

async function scriptBytes(context: BrowserContext, url: string): Promise<{ raw: number; gzip: number; files: number }> {
  const page = await context.newPage();
  const bodies: Promise<Buffer>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') bodies.push(response.body().catch(() => Buffer.alloc(0)));
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const all = await Promise.all(bodies);
  await page.close();
  return {
    files: all.length,
    raw: all.reduce((sum, body) => sum + body.length, 0),
    gzip: all.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0),
  };
}

async function waitForUrl(url: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not come up`);
}

export async function main(): Promise<void> {
  const bareDir = buildBareApp();
  const barePort = 3290;
  const bare = spawn(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(barePort)], { cwd: bareDir, stdio: 'ignore' });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'token-desk-bench-'));
  const stack = await runStack({ appPort: 3291, emulatorPort: 4291, dataDir });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    await waitForUrl(`http://127.0.0.1:${barePort}/`);
    await waitForUrl(`${stack.appUrl}/sign-in`);
    const bareResult = await scriptBytes(await browser.newContext(), `http://127.0.0.1:${barePort}/`);

    const context = await browser.newContext();
    const signIn = await context.request.post(`${stack.appUrl}/api/auth/sign-in/email`, {
      data: { email: 'admin@demo.local', password: DEMO_PASSWORD },
      headers: { origin: stack.appUrl },
    });
    if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()} ${await signIn.text()}`);
    const tokenResult = await scriptBytes(context, `${stack.appUrl}/`);

    const ratio = tokenResult.gzip / bareResult.gzip;
    console.log('\nFirst-load JavaScript (gzip -9 of every script loaded until network idle)');
    console.log(`  bare Next.js page : ${(bareResult.gzip / 1024).toFixed(1)} KiB in ${bareResult.files} files`);
    console.log(`  token page        : ${(tokenResult.gzip / 1024).toFixed(1)} KiB in ${tokenResult.files} files`);
    console.log(`  ratio             : ${ratio.toFixed(2)}×  (target ≤ 1.35×)`);
  } finally {
    await browser.close();
    await stack.stop();
    bare.kill('SIGTERM');
    rmSync(bareDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
