/**
 * `npx tsx scripts/screenshots.ts` (after `next build`): the README's screenshots in English and
 * Japanese — the token list, one user's tokens (subject view) and the bulk-issue page at desktop
 * width, and the token list at a 360 px phone width — written to docs/screenshots/*-{en,ja}.png.
 * Runs the built app and the emulator with demo data in a throw-away folder, and drives Debian's
 * Chromium (`CHROMIUM_PATH` for another). Japanese needs a CJK font (Debian: fonts-noto-cjk,
 * which scripts/ensure-deps.sh installs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../server/auth/demo-accounts';
import { freePort } from '../server/testing/free-port';
import { runStack } from './run-stack';

const root = path.resolve(import.meta.dirname, '..');
const languages = [
  { lang: 'en', locale: 'en-US', timezoneId: 'America/New_York' },
  { lang: 'ja', locale: 'ja-JP', timezoneId: 'Asia/Tokyo' },
] as const;
const desktop = { width: 1440, height: 900 };
const phone = { width: 360, height: 780 };

/** Waits until the page has its data (no spinner, network quiet) and saves it. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page
    .locator('[aria-busy="true"]')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => {});
  const file = path.join(root, 'docs/screenshots', `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`  ${path.relative(root, file)}`);
}

async function signedInPage(
  browser: Browser,
  appUrl: string,
  language: (typeof languages)[number],
  viewport: { width: number; height: number },
): Promise<Page> {
  // The browser's language decides (the demo admin has saved none), as it would for a new person.
  const context = await browser.newContext({
    baseURL: appUrl,
    locale: language.locale,
    timezoneId: language.timezoneId,
    viewport,
    colorScheme: 'light',
  });
  const signIn = await context.request.post('/api/auth/sign-in/email', {
    data: { email: 'admin@demo.local', password: DEMO_PASSWORD },
    headers: { origin: appUrl },
  });
  if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()} ${await signIn.text()}`);
  return context.newPage();
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'token-desk-screenshots-'));
  const stack = await runStack({ appPort: await freePort(), emulatorPort: await freePort(), dataDir });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    for (const language of languages) {
      const page = await signedInPage(browser, stack.appUrl, language, desktop);
      await page.goto('/tokens');
      await shoot(page, `tokens-${language.lang}`);
      const subjectLink = page.locator('main a[href*="/subjects/"]').first();
      await page.goto((await subjectLink.getAttribute('href'))!);
      await shoot(page, `subject-${language.lang}`);
      await page.goto('/batches/new');
      await shoot(page, `bulk-issue-${language.lang}`);
      await page.context().close();

      const small = await signedInPage(browser, stack.appUrl, language, phone);
      await small.goto('/tokens');
      await shoot(small, `tokens-phone-${language.lang}`);
      await small.context().close();
    }
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
