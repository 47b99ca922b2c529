import { describe, expect, it } from 'vitest';
import { tokenCreateInputSchema } from '@/lib/schemas';
import { AuthleteError } from '@/server/authlete/errors';
import { fromAuthleteError, validationDetails } from './errors';

describe('validationDetails', () => {
  it('keys messages by dot path and reports unknown fields per key', () => {
    const result = tokenCreateInputSchema.safeParse({
      grantType: 'NOPE',
      clientId: 'x',
      scopes: ['ok', 'bad scope'],
      extra: 1,
    });
    expect(result.success).toBe(false);
    const details = validationDetails(result.error!);
    expect(Object.keys(details.fieldErrors).sort()).toEqual(['clientId', 'extra', 'grantType', 'scopes.1']);
    expect(details.fieldErrors.extra).toEqual(['Unknown field "extra".']);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'names an unknown field called %s like any other',
    (key) => {
      const body = JSON.parse(
        `{"grantType":"PASSWORD","clientId":"1","subject":"a","properties":[{"key":"k","value":"v","${key}":1}],"${key}":1}`,
      );
      const result = tokenCreateInputSchema.safeParse(body);
      const details = validationDetails(result.error!);
      expect(Object.keys(details.fieldErrors).sort()).toEqual([key, `properties.0.${key}`].sort());
      expect(details.fieldErrors[key]).toEqual([`Unknown field "${key}".`]);
      expect(JSON.parse(JSON.stringify(details)).fieldErrors[`properties.0.${key}`]).toEqual([
        `Unknown field "${key}".`,
      ]);
    },
  );
});

describe('fromAuthleteError', () => {
  it.each([
    ['not_found', 404, 'not_found'],
    ['conflict', 409, 'conflict'],
    // Authlete 2.x has no batch API: the request fits another service, not this one.
    ['not_supported', 409, 'not_supported'],
    ['upstream_rejected', 422, 'unprocessable'],
    ['rate_limited', 429, 'rate_limited'],
    ['upstream_unauthorized', 502, 'upstream_unauthorized'],
    ['upstream_error', 502, 'upstream_error'],
    ['bad_upstream_response', 502, 'upstream_error'],
    ['network', 502, 'upstream_unavailable'],
    ['timeout', 504, 'upstream_timeout'],
    ['invalid_identifier', 400, 'validation_failed'],
    ['search_limit_reached', 404, 'search_limit_reached'],
  ] as const)('%s → %i %s', (code, status, apiCode) => {
    const mapped = fromAuthleteError(new AuthleteError(code, 'm'), false);
    expect(mapped.status).toBe(status);
    expect(mapped.code).toBe(apiCode);
  });

  it('passes Retry-After on, defaulting when Authlete gave none', () => {
    expect(fromAuthleteError(new AuthleteError('rate_limited', 'm', { retryAfterSeconds: 7 }), false).headers).toEqual({
      'Retry-After': '7',
    });
    expect(fromAuthleteError(new AuthleteError('rate_limited', 'm'), false).headers).toEqual({ 'Retry-After': '5' });
  });

  it('warns that a timed-out change may still have happened', () => {
    expect(fromAuthleteError(new AuthleteError('timeout', 'm'), true).message).toMatch(/may still have been applied/);
  });
});
