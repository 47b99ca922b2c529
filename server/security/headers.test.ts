import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './headers';

describe('contentSecurityPolicy', () => {
  it('allows scripts only with the nonce in production, never eval, and forbids framing', () => {
    const policy = contentSecurityPolicy({ nonce: 'abc123', development: false, https: true });
    expect(policy).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain('upgrade-insecure-requests');
  });

  it('adds unsafe-eval only in development and no upgrade over plain http', () => {
    const policy = contentSecurityPolicy({ nonce: 'n', development: true, https: false });
    expect(policy).toContain("'unsafe-eval'");
    expect(policy).not.toContain('upgrade-insecure-requests');
  });
});

describe('next.config.mjs headers', () => {
  const headersFor = async (production: boolean) => {
    const previous = process.env.NODE_ENV;
    (process.env as Record<string, string>).NODE_ENV = production ? 'production' : 'test';
    try {
      const { default: nextConfig } = await import('../../next.config.mjs?' + String(production));
      const rules = await nextConfig.headers!();
      return Object.fromEntries(
        rules[0]!.headers.map((header: { key: string; value: string }) => [header.key, header.value]),
      );
    } finally {
      (process.env as Record<string, string>).NODE_ENV = previous ?? 'test';
    }
  };

  it('sends the fixed security headers on every path, and HSTS in production only', async () => {
    const production = await headersFor(true);
    expect(production['X-Content-Type-Options']).toBe('nosniff');
    expect(production['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(production['Permissions-Policy']).toContain('camera=()');
    expect(production['Strict-Transport-Security']).toMatch(/max-age=\d+/);
    expect((await headersFor(false))['Strict-Transport-Security']).toBeUndefined();
  });
});
