/**
 * `npm run bench -- first-load` (needs `next build` first). First-load JavaScript of the token page beside a bare Next.js page, both built and measured in
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

async function scriptBytes(
  context: BrowserContext,
  url: string,
): Promise<{ raw: number; gzip: number; files: number }> {
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

export async function main(): Promise<void> {
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
    console.log(`  bare Next.js page : ${(bareResult.gzip / 1024).toFixed(1)} KiB in ${bareResult.files} files`);
    console.log(`  token page        : ${(tokenResult.gzip / 1024).toFixed(1)} KiB in ${tokenResult.files} files`);
    console.log(`  ratio             : ${ratio.toFixed(2)}×  (target ≤ 1.35×)`);
  } finally {
    await browser.close();
    await stack.stop();
    await bare.stop();
    bareApp.remove();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
