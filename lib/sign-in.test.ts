import { describe, expect, it } from 'vitest';
import { safeReturnPath, signInErrorMessage } from './sign-in';

describe('safeReturnPath', () => {
  it.each(['/tokens', '/subjects/alice?x=1', '/audit#top'])('keeps the on-site path %s', (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each([undefined, '', 'https://evil.example', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/sign-in', '/api/auth/sign-out', '/x\u0000y'])(
    'falls back to /tokens for %j',
    (path) => {
      expect(safeReturnPath(path)).toBe('/tokens');
    },
  );
});

describe('signInErrorMessage', () => {
  it('explains a missing role and falls back to a generic sentence', () => {
    expect(signInErrorMessage('no_role')).toMatch(/no Token Desk role/);
    expect(signInErrorMessage('something_new')).toMatch(/did not complete/);
  });
});
