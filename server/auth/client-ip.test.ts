import { describe, expect, it } from 'vitest';
import { loadConfig } from '@/server/config/load';
import { clientIpOf } from './client-ip';

const settings = (env: Record<string, string> = {}) => loadConfig(env).clientIp;
const headers = (values: Record<string, string>) => new Headers(values);

describe('client address', () => {
  it('takes a lone X-Forwarded-For value, as a platform or an overwriting proxy sets it', () => {
    expect(clientIpOf(headers({ 'x-forwarded-for': '203.0.113.7' }), settings())).toBe('203.0.113.7');
    // IPv6 in its full form, whole (not collapsed to the /64 the sign-in limit counts by).
    expect(clientIpOf(headers({ 'x-forwarded-for': '2001:db8::1' }), settings())).toBe('2001:0db8:0000:0000:0000:0000:0000:0001');
  });

  it('never takes the client-chosen leftmost entry of a chain', () => {
    const chain = headers({ 'x-forwarded-for': '198.51.100.66, 203.0.113.7' });
    // Without trusted proxies a chain proves nothing (Vitest falls back to loopback, production to none).
    expect(clientIpOf(chain, settings())).not.toBe('198.51.100.66');
    expect(clientIpOf(chain, settings())).not.toBe('203.0.113.7');
  });

  it('walks a chain from the right past TRUSTED_PROXIES to the first untrusted hop', () => {
    const trusted = settings({ TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.10' });
    expect(clientIpOf(headers({ 'x-forwarded-for': '198.51.100.66, 203.0.113.7, 10.1.2.3, 192.0.2.10' }), trusted)).toBe('203.0.113.7');
  });

  it('reads the header named by CLIENT_IP_HEADER and ignores X-Forwarded-For', () => {
    const cloudflare = settings({ CLIENT_IP_HEADER: 'CF-Connecting-IP' });
    expect(clientIpOf(headers({ 'cf-connecting-ip': '203.0.113.9', 'x-forwarded-for': '198.51.100.66' }), cloudflare)).toBe('203.0.113.9');
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address or a range, naming the variable', () => {
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, proxy.internal' })).toThrow(/TRUSTED_PROXIES must be a comma-separated list/);
    expect(() => loadConfig({ CLIENT_IP_HEADER: 'x forwarded' })).toThrow(/CLIENT_IP_HEADER must be an HTTP header name/);
  });
});
