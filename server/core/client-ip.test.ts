import { describe, expect, it } from 'vitest';
import { loadConfig } from '@/server/config/load';
import { PEER_ADDRESS_HEADER } from '@/server/core/peer-address';
import { clientIpOf, clientIpWarning } from './client-ip';

const settings = (env: Record<string, string> = {}) => loadConfig(env).clientIp;
const headers = (values: Record<string, string>) => new Headers(values);

describe('client address', () => {
  it('is the TCP peer by default: no header a client can write counts', () => {
    const spoofed = headers({
      [PEER_ADDRESS_HEADER]: '203.0.113.7',
      'x-forwarded-for': '198.51.100.66',
      'x-real-ip': '198.51.100.67',
      'x-vercel-forwarded-for': '198.51.100.68',
    });
    expect(clientIpOf(spoofed, settings())).toBe('203.0.113.7');
    // Rotating X-Forwarded-For changes nothing.
    for (const forged of ['198.51.100.1', '198.51.100.2, 10.0.0.1']) {
      expect(clientIpOf(headers({ [PEER_ADDRESS_HEADER]: '203.0.113.7', 'x-forwarded-for': forged }), settings())).toBe(
        '203.0.113.7',
      );
    }
    // IPv6 in its full form, whole (not collapsed to the /64 the sign-in limit counts by).
    expect(clientIpOf(headers({ [PEER_ADDRESS_HEADER]: '2001:db8::1' }), settings())).toBe(
      '2001:0db8:0000:0000:0000:0000:0000:0001',
    );
    expect(clientIpOf(headers({ 'x-forwarded-for': '198.51.100.66' }), settings())).toBeNull();
  });

  it('with TRUSTED_PROXIES walks X-Forwarded-For and then the peer from the right, past the proxies', () => {
    const trusted = settings({ TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.10' });
    const viaProxies = headers({
      'x-forwarded-for': '198.51.100.66, 203.0.113.7, 10.1.2.3',
      [PEER_ADDRESS_HEADER]: '192.0.2.10',
    });
    expect(clientIpOf(viaProxies, trusted)).toBe('203.0.113.7');
    // A client connecting around the proxy gets its own address, whatever it forwards.
    expect(
      clientIpOf(headers({ 'x-forwarded-for': '198.51.100.66', [PEER_ADDRESS_HEADER]: '203.0.113.99' }), trusted),
    ).toBe('203.0.113.99');
  });

  it('reads CLIENT_IP_HEADER as its proxy sets it, and warns that it cannot check who sent it', () => {
    const cloudflare = settings({ CLIENT_IP_HEADER: 'CF-Connecting-IP' });
    expect(
      clientIpOf(
        headers({
          'cf-connecting-ip': '203.0.113.9',
          'x-forwarded-for': '198.51.100.66',
          [PEER_ADDRESS_HEADER]: '10.0.0.1',
        }),
        cloudflare,
      ),
    ).toBe('203.0.113.9');
    expect(clientIpWarning(cloudflare)).toMatch(
      /CLIENT_IP_HEADER=cf-connecting-ip is believed from any client.*TRUSTED_PROXIES/,
    );
    const checked = settings({ CLIENT_IP_HEADER: 'CF-Connecting-IP', TRUSTED_PROXIES: '10.0.0.0/8' });
    expect(clientIpWarning(checked)).toBeNull();
    expect(clientIpOf(headers({ 'cf-connecting-ip': '203.0.113.9', [PEER_ADDRESS_HEADER]: '10.0.0.1' }), checked)).toBe(
      '203.0.113.9',
    );
    expect(
      clientIpOf(headers({ 'cf-connecting-ip': '203.0.113.9', [PEER_ADDRESS_HEADER]: '198.51.100.5' }), checked),
    ).toBe('198.51.100.5');
    expect(clientIpWarning(settings())).toBeNull();
  });

  it("on Vercel takes the platform's x-vercel-forwarded-for, without a warning", () => {
    const vercel = loadConfig({
      VERCEL: '1',
      DATABASE_URL: 'postgres://u:p@db/x',
      AUTHLETE_BASE_URL: 'https://us.authlete.com',
      AUTHLETE_SERVICE_ID: '1',
      AUTHLETE_SERVICE_ACCESS_TOKEN: 'a-service-access-token',
    }).clientIp;
    expect(
      clientIpOf(headers({ 'x-vercel-forwarded-for': '203.0.113.8', 'x-forwarded-for': '198.51.100.66' }), vercel),
    ).toBe('203.0.113.8');
    expect(clientIpWarning(vercel)).toBeNull();
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address or a range, naming the variable', () => {
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, proxy.internal' })).toThrow(
      /TRUSTED_PROXIES must be a comma-separated list/,
    );
    expect(() => loadConfig({ CLIENT_IP_HEADER: 'x forwarded' })).toThrow(
      /CLIENT_IP_HEADER must be an HTTP header name/,
    );
  });
});
