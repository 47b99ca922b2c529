import { expect, test } from '@playwright/test';

test.describe('security headers', () => {
  test('pages carry a nonce CSP that their own scripts satisfy, and the fixed headers', async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        violations.push(message.text());
    });
    const response = await page.goto('/sign-in');
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    const policy = headers['content-security-policy'] ?? '';
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce, 'a per-request nonce').toBeTruthy();
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-eval');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['permissions-policy']).toContain('camera=()');
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    // Every script Next.js rendered carries this request's nonce, so nothing was blocked.
    const scriptNonces = await page
      .locator('script')
      .evaluateAll((scripts) => scripts.map((script) => (script as HTMLScriptElement).nonce));
    expect(scriptNonces.length).toBeGreaterThan(0);
    for (const scriptNonce of scriptNonces) expect(scriptNonce).toBe(nonce);
    expect(violations).toEqual([]);

    const second = await page.request.get('/sign-in');
    expect(second.headers()['content-security-policy']).not.toContain(`'nonce-${nonce}'`);
  });

  test('API responses carry a request id, a deny-all CSP and the fixed headers', async ({ request }) => {
    for (const path of ['/api/health', '/api/s/production/tokens', '/api/session']) {
      const response = await request.get(path, { headers: { 'x-request-id': 'chosen-by-the-client' } });
      const headers = response.headers();
      expect(headers['x-request-id'], path).toMatch(/^[0-9a-f-]{36}$/);
      expect(headers['content-security-policy'], path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(headers['x-content-type-options'], path).toBe('nosniff');
      expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    }
    const signIn = await request.post('/api/auth/sign-in/email', {
      data: { email: 'nobody@demo.local', password: 'not the password' },
    });
    expect(signIn.status()).toBeGreaterThanOrEqual(400);
    expect(signIn.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
