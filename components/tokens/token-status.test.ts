import { describe, expect, it } from 'vitest';
import { accessExpiry, daysBeforeSweep, lastActivity, refreshExpiry, staleDays } from './token-status';

const now = Date.UTC(2025, 10, 25);
const day = 86_400_000;

describe('accessExpiry', () => {
  it('treats 0 as never, the past (and now) as expired, the future as active', () => {
    expect(accessExpiry({ accessTokenExpiresAt: 0 }, now)).toEqual({ state: 'never' });
    expect(accessExpiry({ accessTokenExpiresAt: now }, now)).toEqual({ state: 'expired', at: now });
    expect(accessExpiry({ accessTokenExpiresAt: now + 1 }, now)).toEqual({ state: 'active', at: now + 1 });
  });
});

describe('refreshExpiry', () => {
  it('is null without a refresh token and never with one that has no expiry', () => {
    expect(refreshExpiry({ refreshTokenExpiresAt: 0 }, now)).toBeNull();
    expect(refreshExpiry({ refreshTokenExpiresAt: 0, refreshTokenHash: 'h' }, now)).toEqual({ state: 'never' });
    expect(refreshExpiry({ refreshTokenExpiresAt: now - day, refreshTokenHash: 'h' }, now)).toEqual({
      state: 'expired',
      at: now - day,
    });
  });
});

describe('staleness', () => {
  it('counts from the later of creation and last refresh', () => {
    expect(lastActivity({ createdAt: now - 100 * day, lastRefreshedAt: 0 })).toBe(now - 100 * day);
    expect(lastActivity({ createdAt: now - 100 * day, lastRefreshedAt: now - day })).toBe(now - day);
  });
  it('marks tokens idle for 60 days or more', () => {
    expect(staleDays({ createdAt: now - 59 * day, lastRefreshedAt: 0 }, now)).toBeNull();
    expect(staleDays({ createdAt: now - 60 * day, lastRefreshedAt: 0 }, now)).toBe(60);
    expect(staleDays({ createdAt: now - 200 * day, lastRefreshedAt: now - 75 * day }, now)).toBe(75);
  });
  it('explains how long is left before the 90-day sweep', () => {
    expect(daysBeforeSweep(75)).toBe(15);
    expect(daysBeforeSweep(90)).toBe(0);
    expect(daysBeforeSweep(95)).toBe(0);
  });
});
