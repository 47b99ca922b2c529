import { describe, expect, it } from 'vitest';
import { AuditGuardError, guardStructured, guardText, guardTokenHash, REDACTED } from './guard';

const options = { secrets: ['service-access-token-0123456789'] };

describe('audit guard', () => {
  it('redacts credential-named scalar fields at any depth and keeps hashes and descriptions', () => {
    const guarded = guardStructured(
      {
        accessToken: 'raw-access-token-value',
        refresh_token: 'raw-refresh',
        accessTokenHash: 'x'.repeat(43),
        nested: { password: 'hunter2', clientSecret: 's3cret', authorization: 'Basic abc' },
        token: { accessTokenHash: 'y'.repeat(43), scopes: ['openid'] },
        list: [{ idToken: 'eyJ...' }],
      },
      options,
    );
    expect(guarded).toEqual({
      accessToken: REDACTED,
      refresh_token: REDACTED,
      accessTokenHash: 'x'.repeat(43),
      nested: { password: REDACTED, clientSecret: REDACTED, authorization: REDACTED },
      token: { accessTokenHash: 'y'.repeat(43), scopes: ['openid'] },
      list: [{ idToken: REDACTED }],
    });
  });

  it('cuts a known secret or a bearer credential out of any text, even under an innocent name', () => {
    expect(guardStructured({ note: 'uses service-access-token-0123456789 here' }, options)).toEqual({
      note: `uses ${REDACTED} here`,
    });
    expect(guardStructured({ headers: ['Bearer abcdefghijkl'] }, options)).toEqual({ headers: [`Bearer ${REDACTED}`] });
    expect(guardText('Authorization: Bearer abcdefghijklmnop then bearer qrstuvwxyz123', options)).toBe(
      `Authorization: Bearer ${REDACTED} then Bearer ${REDACTED}`,
    );
    expect(guardStructured({ accessToken: 'service-access-token-0123456789' }, options)).toEqual({
      accessToken: REDACTED,
    });
    expect(guardText('a short "bearer x" is just words', options)).toBe('a short "bearer x" is just words');
  });

  it('accepts only a 43-character hash as a token target', () => {
    expect(guardTokenHash('A'.repeat(43))).toBe('A'.repeat(43));
    expect(guardTokenHash(undefined)).toBeNull();
    expect(() => guardTokenHash('a-raw-token-value')).toThrow(/never a token value/);
    expect(() => guardTokenHash('A'.repeat(44))).toThrow(AuditGuardError);
  });

  it('cuts very long text and deep nesting instead of storing payload dumps', () => {
    expect(guardText('r'.repeat(5000), options)).toHaveLength(2001);
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 10; level += 1) deep = { deeper: deep };
    expect(JSON.stringify(guardStructured(deep, options))).toContain('[truncated]');
  });
});
