/**
 * `npm run bench -- first-load [--files]` (needs `next build` first). First-load JavaScript of the token page beside a bare Next.js page, both built and measured in
 * this run with the same method: every script the browser downloads until the network is idle,
 * gzipped here at level 9 so both sides are compressed alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext } from '@playwright/test';
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts';
import { runStack } from '../run-stack';
import { freePort } from '../../server/testing/free-port';
import { buildBareNextApp, waitForUrl } from './bare-next';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface ScriptFile {
  name: string;
  gzip: number;
}

async function scriptBytes(context: BrowserContext, url: string): Promise<{ gzip: number; files: ScriptFile[] }> {
  const page = await context.newPage();
  const bodies: Promise<ScriptFile>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    const name = new URL(response.url()).pathname.split('/').pop() ?? response.url();
    bodies.push(
      response
        .body()
        .catch(() => Buffer.alloc(0))
        .then((body) => ({ name, gzip: gzipSync(body, { level: 9 }).length })),
    );
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const files = await Promise.all(bodies);
  await page.close();
  return { files, gzip: files.reduce((sum, file) => sum + file.gzip, 0) };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** `--files`: each script of the token page, largest first, to see where a cut would pay. */
function printFiles(files: ScriptFile[]): void {
  for (const file of [...files].sort((a, b) => b.gzip - a.gzip)) {
    console.log(`    ${kib(file.gzip).padStart(9)}  ${file.name}`);
  }
}

export async function main(argv: string[]): Promise<void> {
  const bareApp = buildBareNextApp({
    'app/page.tsx':
      "'use client';\nimport { useState } from 'react';\nexport default function Page() { const [n, setN] = useState(0); return <button onClick={() => setN(n + 1)}>{n}</button>; }\n",
  });
  const bare = await bareApp.start(await freePort());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'token-desk-bench-'));
  const stack = await runStack({ appPort: await freePort(), emulatorPort: await freePort(), dataDir });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
  });
  try {
    await waitForUrl(`${stack.appUrl}/sign-in`);
    const bareResult = await scriptBytes(await browser.newContext(), `${bare.url}/`);

    const context = await browser.newContext();
    const signIn = await context.request.post(`${stack.appUrl}/api/auth/sign-in/email`, {
      data: { email: 'admin@demo.local', password: DEMO_PASSWORD },
      headers: { origin: stack.appUrl },
    });
    if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()} ${await signIn.text()}`);
    const tokenResult = await scriptBytes(context, `${stack.appUrl}/`);

    const ratio = tokenResult.gzip / bareResult.gzip;
    console.log('\nFirst-load JavaScript (gzip -9 of every script loaded until network idle)');
    console.log(`  bare Next.js page : ${kib(bareResult.gzip)} in ${bareResult.files.length} files`);
    console.log(`  token page        : ${kib(tokenResult.gzip)} in ${tokenResult.files.length} files`);
    if (argv.includes('--files')) printFiles(tokenResult.files);
    console.log(`  ratio             : ${ratio.toFixed(2)}×  (target ≤ 1.35×)`);
  } finally {
    await browser.close();
    await stack.stop();
    await bare.stop();
    bareApp.remove();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
