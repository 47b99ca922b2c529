import type { Page } from '@playwright/test';
import { expect } from './tokens-fixtures';

/**
 * No text clipped: every visible button, link-styled button and table header shows all of its text
 * (its content fits its box), so a longer translation never hides behind a fixed width or height.
 */
export async function expectNoClippedText(page: Page, what: string): Promise<void> {
  const clipped = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, a[class*="rounded-md"], th, label, legend, h1, h2')]
      .filter((element) => element.offsetParent !== null && element.getClientRects().length > 0)
      .filter(
        (element) => element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1,
      )
      .filter((element) => getComputedStyle(element).overflow !== 'visible' || element.tagName === 'BUTTON')
      .map((element) => `${element.tagName.toLowerCase()} "${element.innerText.slice(0, 40)}"`),
  );
  expect(clipped, `clipped text on ${what}`).toEqual([]);
}

/** Where the README's screenshots go: written only when asked (`E2E_SCREENSHOTS=1`), never by a normal run. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: `docs/screenshots/${name}.png` });
}
