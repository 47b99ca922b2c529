import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeReturnPath, signInErrorKey } from './sign-in';

describe('safeReturnPath', () => {
  it.each(['/tokens', '/subjects/alice?x=1', '/audit#top'])('keeps the on-site path %s', (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each([
    undefined,
    '',
    'https://evil.example',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
    '/sign-in',
    '/api/auth/sign-out',
    '/x\u0000y',
  ])('falls back to /tokens for %j', (path) => {
    expect(safeReturnPath(path)).toBe('/tokens');
  });
});

describe('safeReturnPath in a Location header', () => {
  it('percent-encodes a path outside Latin-1 instead of returning it raw', () => {
    expect(safeReturnPath('/\u3000/x')).toBe('/%E3%80%80/x');
    expect(safeReturnPath('/subjects/j\u00f6rg?q=\u00e9#\u2603')).toBe('/subjects/j%C3%B6rg?q=%C3%A9#%E2%98%83');
  });

  it('falls back for a path that only leaves the site or reaches sign-in once normalised', () => {
    expect(safeReturnPath('/.%2e/sign-in')).toBe('/tokens');
    expect(safeReturnPath('/x/../api/auth/sign-out')).toBe('/tokens');
  });

  it('always answers a visible-ASCII on-site path that a Headers object accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), (tail) => {
        const path = safeReturnPath(`/${tail}`);
        expect(path).toMatch(/^\/(?!\/)[\x21-\x7e]*$/);
        expect(() => new Headers({ location: path })).not.toThrow();
      }),
    );
  });
});

describe('signInErrorKey', () => {
  it('explains a missing role and falls back to a generic sentence', () => {
    expect(signInErrorKey('no_role')).toBe('signIn.errors.noRole');
    expect(signInErrorKey('STATE_MISMATCH')).toBe('signIn.errors.stateExpired');
    expect(signInErrorKey('something_new')).toBe('signIn.errors.ssoFailed');
    expect(signInErrorKey('constructor')).toBe('signIn.errors.ssoFailed');
  });
});
