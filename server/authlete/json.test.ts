import { describe, expect, it } from 'vitest';
import { parseUpstreamJson, stringifyUpstreamJson, wireInteger } from './json';
import { wireAccessTokenSchema } from './wire';

describe('lossless upstream JSON', () => {
  it('keeps client ids above 2^53 exact as decimal strings', () => {
    const wire = parseUpstreamJson(
      '{"accessTokenHash":"h","clientId":9223372036854775807,"scopes":null,"accessTokenExpiresAt":1642048149000}',
    );
    const token = wireAccessTokenSchema.parse(wire);
    expect(token.clientId).toBe('9223372036854775807');
    expect(token.accessTokenExpiresAt).toBe(1642048149000);
    expect(token.scopes).toEqual([]);
  });

  it('writes a decimal client id as an exact JSON number', () => {
    expect(stringifyUpstreamJson({ clientId: wireInteger('9007199254740993') })).toBe('{"clientId":9007199254740993}');
  });
});
