import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, apiFor, ApiError, hintFor } from './api-client';

afterEach(() => vi.unstubAllGlobals());

function answer(response: Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return response;
  });
  return calls;
}

describe('api client', () => {
  it('sends filters as a query string, dropping empty ones', async () => {
    const calls = answer(Response.json({ tokens: [], totalCount: 0, page: 2, pageSize: 50 }));
    const page = await apiFor('default').listTokens({ subject: 'john doe', clientId: '', page: 2, pageSize: 50 });
    expect(page.page).toBe(2);
    expect(calls[0]!.url).toBe('/api/s/default/tokens?subject=john+doe&page=2&pageSize=50');
    expect(calls[0]!.init.method).toBe('GET');
  });

  it('sends mutation bodies as JSON and encodes path identifiers', async () => {
    const calls = answer(Response.json({ count: 1 }));
    await apiFor('default').revokeToken('a/b', { subject: 'ana', clientId: '42' }, { reason: 'lost phone' });
    expect(calls[0]!.url).toBe('/api/s/default/tokens/a%2Fb/revoke?subject=ana&clientId=42');
    expect(new Headers(calls[0]!.init.headers).get('content-type')).toBe('application/json');
    expect(calls[0]!.init.body).toBe('{"reason":"lost phone"}');
  });

  it('sends a body that is already JSON text as it is, and maps its errors like any other call', async () => {
    const calls = answer(
      Response.json(
        { error: { code: 'conflict', message: 'Not the previewed rows.', requestId: 'r-1' } },
        { status: 409 },
      ),
    );
    const sent = '{"tokens":[{"grantType":"PASSWORD"}]}';
    const error = await api.request('POST', '/api/jobs/j/chunks/0/submit', { jsonText: sent }).catch((e: unknown) => e);
    expect(calls[0]!.init.body).toBe(sent);
    expect(new Headers(calls[0]!.init.headers).get('content-type')).toBe('application/json');
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'conflict', requestId: 'r-1' });
  });

  it('deletes with the token’s own hint and a JSON reason; looks a value up in the body, never the URL', async () => {
    const calls = answer(new Response(null, { status: 204 }));
    await apiFor('default').deleteToken('h', hintFor({ clientId: '44217' }), { reason: 'test token' });
    expect(calls[0]!.url).toBe('/api/s/default/tokens/h?clientId=44217');
    expect(calls[0]!.init.method).toBe('DELETE');
    expect(calls[0]!.init.body).toBe('{"reason":"test token"}');
    const lookups = answer(Response.json({ state: 'active', token: {}, complete: true }));
    await apiFor('default').lookupToken('secret-value');
    expect(lookups[0]!.url).toBe('/api/s/default/tokens/lookup');
    expect(lookups[0]!.init.method).toBe('POST');
    expect(lookups[0]!.init.body).toBe('{"token":"secret-value"}');
  });

  it('turns the error envelope into an ApiError with code, details, request id and Retry-After', async () => {
    answer(
      Response.json(
        {
          error: {
            code: 'rate_limited',
            message: 'Wait.',
            details: { retryAfterSeconds: 3 },
            requestId: 'req-12345678',
          },
        },
        { status: 429, headers: { 'Retry-After': '3' } },
      ),
    );
    const error = await apiFor('default')
      .listScopes()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'Wait.',
      requestId: 'req-12345678',
      retryAfterSeconds: 3,
    });
  });

  it('exposes field errors of a validation failure', async () => {
    answer(
      Response.json(
        {
          error: {
            code: 'validation_failed',
            message: 'Bad.',
            details: { fieldErrors: { subject: ['Required.'] }, formErrors: [] },
          },
        },
        { status: 400 },
      ),
    );
    const error = (await apiFor('default')
      .createToken({ grantType: 'PASSWORD', clientId: '1' })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.fieldErrors).toEqual({ subject: ['Required.'] });
  });

  it('names a non-envelope failure and a network failure', async () => {
    answer(new Response('<html>oops</html>', { status: 502, headers: { 'x-request-id': 'abcdefgh-1' } }));
    await expect(apiFor('default').listClients()).rejects.toMatchObject({
      status: 502,
      code: 'internal_error',
      requestId: 'abcdefgh-1',
    });
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(apiFor('default').listClients()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('returns nothing for 204', async () => {
    answer(new Response(null, { status: 204 }));
    await expect(apiFor('default').deleteToken('h', { clientId: '1' })).resolves.toBeUndefined();
  });
});
