import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutboundUrl, isRefusedAddress, OutboundRefusedError, postGuarded, type OutboundPolicy } from './outbound';
import { newWebhookSecret, signedDelivery } from './sign';

const strict: OutboundPolicy = { allowedRanges: [], allowHttp: true, timeoutMs: 2_000 };
const loopbackAllowed: OutboundPolicy = { ...strict, allowedRanges: ['127.0.0.1/32'] };

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
let base: string;
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    received.push({ path: req.url ?? '', headers: req.headers, body });
    if (req.url === '/redirect') {
      res.writeHead(302, { location: `${base}/elsewhere` }).end();
    } else {
      res.writeHead(204).end();
    }
  });
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function refusal(url: string, policy = strict): Promise<string> {
  try {
    await checkOutboundUrl(url, policy);
  } catch (error) {
    if (error instanceof OutboundRefusedError) return error.refusal;
    throw error;
  }
  return 'allowed';
}

describe('the outbound address guard', () => {
  it.each([
    ['http://127.0.0.1/hook', 'IPv4 loopback'],
    ['http://127.8.9.10/hook', 'anywhere in 127/8'],
    ['http://[::1]/hook', 'IPv6 loopback'],
    ['http://[::ffff:127.0.0.1]/hook', 'IPv4 loopback written as IPv6'],
    ['http://10.0.0.5/hook', 'private 10/8'],
    ['http://172.16.4.4/hook', 'private 172.16/12'],
    ['http://192.168.1.1/hook', 'private 192.168/16'],
    ['http://169.254.169.254/latest/meta-data/', 'the cloud metadata address'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'the IPv6 metadata address (unique local)'],
    ['http://[fe80::1]/hook', 'IPv6 link-local'],
    ['http://0.0.0.0/hook', 'this network'],
    ['http://localhost/hook', 'a DNS name that resolves to loopback'],
  ])('refuses %s (%s)', async (url) => {
    expect(await refusal(url)).toBe('blocked_address');
  });

  it('refuses plain http unless configured, and addresses with credentials or no URL at all', async () => {
    expect(await refusal('http://203.0.113.1/', { ...strict, allowHttp: false })).toBe('scheme');
    expect(await refusal('ftp://example.com/')).toBe('scheme');
    expect(await refusal('https://user:pw@example.com/')).toBe('bad_url');
    expect(await refusal('not a url')).toBe('bad_url');
    expect(await refusal('https://no-such-host.invalid/')).toBe('unresolvable');
  });

  it('lets a special range through only when configuration allows it', async () => {
    expect(isRefusedAddress('127.0.0.1')).toBe(true);
    expect(isRefusedAddress('127.0.0.1', ['127.0.0.1/32'])).toBe(false);
    expect(isRefusedAddress('127.0.0.2', ['127.0.0.1/32'])).toBe(true);
    expect(isRefusedAddress('10.9.8.7', ['10.9.0.0/16'])).toBe(false);
    expect(isRefusedAddress('93.184.215.14')).toBe(false);
    expect(isRefusedAddress('2606:4700::1111')).toBe(false);
  });

  it('refuses to send to loopback, and sends nothing', async () => {
    const before = received.length;
    await expect(postGuarded(`${base}/hook`, '{}', {}, strict)).rejects.toBeInstanceOf(OutboundRefusedError);
    expect(received.length).toBe(before);
  });

  it('answers a redirect without following it', async () => {
    const response = await postGuarded(`${base}/redirect`, '{}', {}, loopbackAllowed);
    expect(response.status).toBe(302);
    expect(received.map((request) => request.path)).toContain('/redirect');
    expect(received.map((request) => request.path)).not.toContain('/elsewhere');
  });
});

describe('a signed delivery', () => {
  it('is accepted by the standardwebhooks library’s own verifier at the receiver, and refused when altered', async () => {
    const secret = newWebhookSecret();
    const event = {
      id: 'evt_01',
      type: 'token.revoked' as const,
      occurredAt: new Date('2026-12-01T10:00:00Z'),
      data: { service: 'default', subject: 'alice', clientId: '42', count: 3 },
    };
    const { body, headers } = signedDelivery(secret, event);
    const response = await postGuarded(`${base}/hook`, body, headers, loopbackAllowed);
    expect(response.status).toBe(204);

    const delivered = received.at(-1)!;
    const asReceived = {
      'webhook-id': String(delivered.headers['webhook-id']),
      'webhook-timestamp': String(delivered.headers['webhook-timestamp']),
      'webhook-signature': String(delivered.headers['webhook-signature']),
    };
    expect(new Webhook(secret).verify(delivered.body, asReceived)).toEqual({
      type: 'token.revoked',
      timestamp: '2026-12-01T10:00:00.000Z',
      data: { service: 'default', subject: 'alice', clientId: '42', count: 3 },
    });
    expect(() => new Webhook(secret).verify(delivered.body.replace('alice', 'mallory'), asReceived)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(delivered.body, asReceived)).toThrow();
  });
});
