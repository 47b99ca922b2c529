/**
 * Shared by the e2e/tokens*.spec.ts files: sign-in per role (once per worker, so the sign-in rate
 * limit is never the thing under test), an admin API context for setting up data, and the axe check.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type APIRequestContext, type Page } from '@playwright/test';
import type { Role } from '@/lib/roles';
import type { Client, Scope, TokenCreated } from '@/lib/schemas';

export const baseURL = `http://127.0.0.1:${process.env.E2E_APP_PORT ?? 3100}`;
export const DEMO_PASSWORD = 'token-desk-demo';

type Cookies = Awaited<ReturnType<APIRequestContext['storageState']>>['cookies'];

interface WorkerFixtures {
  sessionCookies: (role: Role) => Promise<Cookies>;
  adminApi: AdminApi;
}

interface TestFixtures {
  /** Puts the role's session cookie into this test's browser context. */
  signIn: (role: Role) => Promise<void>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  sessionCookies: [
    async ({ playwright }, provide) => {
      const cache = new Map<Role, Cookies>();
      await provide(async (role) => {
        const cached = cache.get(role);
        if (cached) return cached;
        const request = await playwright.request.newContext({ baseURL });
        const response = await request.post('/api/auth/sign-in/email', {
          data: { email: `${role}@demo.local`, password: DEMO_PASSWORD },
          headers: { origin: baseURL },
        });
        expect(response.ok(), `sign-in as ${role}: ${response.status()}`).toBe(true);
        const { cookies } = await request.storageState();
        await request.dispose();
        cache.set(role, cookies);
        return cookies;
      });
    },
    { scope: 'worker' },
  ],
  adminApi: [
    async ({ playwright, sessionCookies }, provide) => {
      const request = await playwright.request.newContext({
        baseURL,
        storageState: { cookies: await sessionCookies('admin'), origins: [] },
        extraHTTPHeaders: { origin: baseURL },
      });
      await provide(new AdminApi(request));
      await request.dispose();
    },
    { scope: 'worker' },
  ],
  signIn: async ({ context, sessionCookies }, provide) => {
    await provide(async (role) => context.addCookies(await sessionCookies(role)));
  },
});

export { expect };

/** Test data through Token Desk's own API, as an admin would create it. */
export class AdminApi {
  private clients?: Client[];
  private scopes?: Scope[];

  constructor(readonly request: APIRequestContext) {}

  async listClients(): Promise<Client[]> {
    this.clients ??= (await this.getJson<{ clients: Client[] }>('/api/s/production/clients')).clients;
    return this.clients;
  }

  async listScopes(): Promise<Scope[]> {
    this.scopes ??= (await this.getJson<{ scopes: Scope[] }>('/api/s/production/scopes')).scopes;
    return this.scopes;
  }

  private async getJson<T>(path: string): Promise<T> {
    const response = await this.request.get(path);
    expect(response.ok()).toBe(true);
    return (await response.json()) as T;
  }

  /** A client that has a name, for readable assertions. */
  async namedClient(index = 0): Promise<Client & { clientName: string }> {
    const named = (await this.listClients()).filter((client): client is Client & { clientName: string } =>
      Boolean(client.clientName),
    );
    const client = named[index];
    if (!client) throw new Error(`The demo service has fewer than ${index + 1} named clients.`);
    return client;
  }

  async createToken(input: {
    subject: string;
    clientId?: string;
    scopes?: string[];
    grantType?: string;
  }): Promise<TokenCreated> {
    const response = await this.request.post('/api/s/production/tokens', {
      data: {
        grantType: input.grantType ?? 'AUTHORIZATION_CODE',
        clientId: input.clientId ?? (await this.namedClient()).clientId,
        subject: input.subject,
        scopes: input.scopes ?? [],
      },
    });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as TokenCreated;
  }
}

/** A subject no other test (or run) uses. */
export function uniqueSubject(label: string): string {
  return `e2e-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** axe-core on the page as it is now: no serious or critical WCAG 2.1 A/AA violations. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // Let finite transitions (a toast sliding in) finish: contrast is judged on what stays on screen.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((animation) => animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity),
  );
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  expect(blocking, `accessibility of ${what}`).toEqual([]);
}

/** The main token table (its caption starts "Tokens, page"). */
export function tokenTable(page: Page) {
  return page.getByRole('table', { name: /^Tokens, page/ });
}

/** Fails naming the widest elements, so a regression says where it is. */
export async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const width = page.viewportSize()!.width;
  // The phone's own width: a mobile browser widens its layout viewport to fit a page that overflows.
  const measured = await page.evaluate((viewport) => {
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= viewport) return { scrollWidth, innerWidth: window.innerWidth, offenders: [] };
    // An element inside a box that scrolls (or clips) sideways cannot widen the page, unless it is
    // positioned (an "sr-only" label) and that box is not its containing block.
    const contained = (element: Element) => {
      if (['absolute', 'fixed'].includes(getComputedStyle(element).position)) return false;
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        const overflowX = getComputedStyle(parent).overflowX;
        if (overflowX !== 'visible') return true;
      }
      return false;
    };
    const offenders = [...document.body.querySelectorAll('*')]
      .map((element) => ({ element, right: element.getBoundingClientRect().right }))
      .filter(({ element, right }) => right > viewport + 0.5 && !contained(element))
      .sort((a, b) => b.right - a.right)
      .slice(0, 5)
      .map(
        ({ element, right }) =>
          `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} (right ${Math.round(right)})`,
      );
    return { scrollWidth, innerWidth: window.innerWidth, offenders };
  }, width);
  expect(
    measured.scrollWidth,
    `${what}: the page is ${measured.scrollWidth} px wide; widest: ${measured.offenders.join(', ')}`,
  ).toBeLessThanOrEqual(width);
  expect(measured.innerWidth, `${what}: the phone zoomed out to fit a wide page`).toBeLessThanOrEqual(width);
}
