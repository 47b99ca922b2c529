import fc from 'fast-check';
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createAuthleteClient } from './client';
import { AuthleteError } from './errors';
import { pathSegment, serviceRoot, upstreamUrl } from './path';

const BASE = 'https://us.authlete.example/prefix';
const SERVICE = '715948317';

/** Strings an attacker would try in a path segment or query value, mixed into arbitrary ones. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
  fc.constantFrom(
    '.',
    '..',
    '../..',
    '..%2f',
    '%2e%2e',
    '/',
    '//evil.example',
    '\\evil',
    '?x=1',
    '#frag',
    '@evil.example',
    'a/../../b',
    'https://evil.example',
    '%00',
    ' ',
    '\u2025',
    '\uff0e\uff0e',
    'a'.repeat(300),
    '',
  ),
);

/** A client whose connection pool records each URL and answers like Authlete would (no network). */
function recordingClient() {
  const urls: URL[] = [];
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent
    .get(new URL(BASE).origin)
    .intercept({ path: () => true, method: () => true })
    .reply(({ path }) => {
      const url = new URL(path, BASE);
      urls.push(url);
      if (url.pathname.includes('/auth/token/delete/')) return { statusCode: 204, data: '' };
      if (url.pathname.includes('/batch/status/'))
        return { statusCode: 200, data: JSON.stringify({ status: { result: 'SUCCEEDED', tokenCount: 1 } }) };
      return { statusCode: 200, data: JSON.stringify({ totalCount: 0, accessTokens: [] }) };
    })
    .persist();
  const client = createAuthleteClient({
    baseUrl: BASE,
    apiVersion: 3,
    serviceId: SERVICE,
    accessToken: 'test-service-access-token',
    timeoutMs: 1_000,
    retry: { retries: 0 },
    dispatcher: agent,
  });
  return { client, urls };
}

describe('pathSegment', () => {
  it('passes hashes and batch ids through unchanged', () => {
    expect(pathSegment('Bk1QneTxkoLKw_RRB8ToVL25Plt075RvPK68N9cWWtg', 'token hash')).toBe(
      'Bk1QneTxkoLKw_RRB8ToVL25Plt075RvPK68N9cWWtg',
    );
    expect(pathSegment('batch-0f3a.1~x', 'batch request ID')).toBe('batch-0f3a.1~x');
  });

  it.each(['', '.', '..', '...', 'a/b', 'a%2Fb', 'a?b', 'a#b', 'a b', 'ä', 'x'.repeat(257)])('refuses %j', (value) => {
    expect(() => pathSegment(value, 'token hash')).toThrow(AuthleteError);
  });
});

describe('upstreamUrl', () => {
  it('keeps the base path prefix and the service id', () => {
    expect(upstreamUrl(serviceRoot(BASE, SERVICE), '/auth/token/get/list', { start: 0, subject: undefined }).href).toBe(
      'https://us.authlete.example/prefix/api/715948317/auth/token/get/list?start=0',
    );
  });
});

describe('no identifier or filter value can change the upstream host or path', () => {
  it('token hash in DELETE: refused before sending, or sent as exactly one segment on the pinned host', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (identifier) => {
        const { client, urls } = recordingClient();
        try {
          await client.deleteToken(identifier);
        } catch (error) {
          expect(error).toBeInstanceOf(AuthleteError);
          expect((error as AuthleteError).code).toBe('invalid_identifier');
          expect(urls).toHaveLength(0);
          return;
        }
        expect(urls).toHaveLength(1);
        const url = urls[0]!;
        expect(url.origin).toBe('https://us.authlete.example');
        expect(url.pathname).toBe(`/prefix/api/${SERVICE}/auth/token/delete/${identifier}`);
        expect(url.search).toBe('');
        expect(url.hash).toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('batch request id in the status path: same guarantee', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (identifier) => {
        const { client, urls } = recordingClient();
        try {
          await client.getBatchStatus(identifier);
        } catch (error) {
          expect((error as AuthleteError).code).toBe('invalid_identifier');
          expect(urls).toHaveLength(0);
          return;
        }
        const url = urls[0]!;
        expect(url.origin).toBe('https://us.authlete.example');
        expect(url.pathname).toBe(`/prefix/api/${SERVICE}/auth/token/create/batch/status/${identifier}`);
      }),
      { numRuns: 300 },
    );
  });

  it('subject and client filters only ever land in the query string, intact', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, fc.integer({ min: 0, max: 90 }), async (subject, clientId, start) => {
        const { client, urls } = recordingClient();
        await client.listTokens({ subject, clientId, status: 'all' }, start, start + 45);
        expect(urls).toHaveLength(3);
        for (const url of urls) {
          expect(url.origin).toBe('https://us.authlete.example');
          expect(url.pathname).toBe(`/prefix/api/${SERVICE}/auth/token/get/list`);
          expect(url.hash).toBe('');
          expect(url.searchParams.get('subject')).toBe(subject);
          expect(url.searchParams.get('clientIdentifier')).toBe(clientId);
          expect(url.searchParams.get('tokenStatus')).toBe('ALL');
        }
      }),
      { numRuns: 200 },
    );
  });
});
