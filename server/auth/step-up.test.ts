import { describe, expect, it } from 'vitest';
import { mustEnrol, stepUpFresh } from './step-up';

describe('stepUpFresh', () => {
  const at = new Date('2026-01-01T10:00:00Z');
  const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);

  it('lets a proof through for the whole window, the last second included', () => {
    expect(stepUpFresh(at, at, 300)).toBe(true);
    expect(stepUpFresh(at, later(299), 300)).toBe(true);
    expect(stepUpFresh(at, later(300), 300)).toBe(true);
  });

  it('asks again once the window has passed', () => {
    expect(stepUpFresh(at, later(301), 300)).toBe(false);
    expect(stepUpFresh(at, later(3600), 300)).toBe(false);
    expect(stepUpFresh(at, later(31), 30)).toBe(false);
  });

  it('does not trust a proof dated further ahead than the window (a skewed clock)', () => {
    expect(stepUpFresh(at, later(-60), 300)).toBe(true);
    expect(stepUpFresh(at, later(-301), 300)).toBe(false);
  });
});

describe('mustEnrol', () => {
  it('counts a passkey as a second factor', () => {
    expect(mustEnrol({ role: 'admin', method: 'password', twoFactorEnabled: false, hasPasskey: true }, ['admin'])).toBe(
      false,
    );
  });

  it('holds a password account of a listed role without a second factor', () => {
    expect(
      mustEnrol({ role: 'admin', method: 'password', twoFactorEnabled: false, hasPasskey: false }, ['admin']),
    ).toBe(true);
    expect(
      mustEnrol({ role: 'support', method: 'password', twoFactorEnabled: false, hasPasskey: false }, [
        'admin',
        'support',
      ]),
    ).toBe(true);
  });

  it('lets through whoever has enrolled, whose role is not listed, or who signs in with single sign-on', () => {
    expect(mustEnrol({ role: 'admin', method: 'password', twoFactorEnabled: true, hasPasskey: false }, ['admin'])).toBe(
      false,
    );
    expect(
      mustEnrol({ role: 'viewer', method: 'password', twoFactorEnabled: false, hasPasskey: false }, ['admin']),
    ).toBe(false);
    expect(mustEnrol({ role: 'admin', method: 'oidc', twoFactorEnabled: false, hasPasskey: false }, ['admin'])).toBe(
      false,
    );
    expect(mustEnrol({ role: 'admin', method: 'password', twoFactorEnabled: false, hasPasskey: false }, [])).toBe(
      false,
    );
  });
});
