import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTokenHash, sha256Base64Url } from './hash';

describe('sha256Base64Url', () => {
  it('matches the known SHA-256 of "abc"', async () => {
    // SHA-256("abc") = ba7816bf...f20015ad, in base64url without padding:
    expect(await sha256Base64Url('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
  it('agrees with Node for any string, and is always a valid token hash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), async (value) => {
        const hash = await sha256Base64Url(value);
        expect(hash).toBe(createHash('sha256').update(value, 'utf8').digest('base64url'));
        expect(isTokenHash(hash)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
  it('rejects strings that are not 43 base64url characters', () => {
    expect(isTokenHash('short')).toBe(false);
    expect(isTokenHash(`${'a'.repeat(42)}+`)).toBe(false);
  });
});
