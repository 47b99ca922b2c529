/**
 * What a token's timestamps mean for the person looking at it. Pure (no React), so it is tested
 * directly and shared by the table, the subject view and the export.
 */
import { daysSince } from '@/lib/format';
import type { Token } from '@/lib/schemas';

/** Authlete deletes tokens that have not been used for this long. */
export const SWEEP_AFTER_DAYS = 90;
/** We warn this early, leaving a month to act before the sweep. */
export const STALE_AFTER_DAYS = 60;

export type Expiry = { state: 'never' } | { state: 'expired'; at: number } | { state: 'active'; at: number };

/** Access token expiry; 0 is Authlete's "never expires" (a persistent token). */
export function accessExpiry(token: Pick<Token, 'accessTokenExpiresAt'>, now: number = Date.now()): Expiry {
  const at = token.accessTokenExpiresAt;
  if (at === 0) return { state: 'never' };
  return at <= now ? { state: 'expired', at } : { state: 'active', at };
}

/** Refresh token expiry, or null when the token has no refresh token. */
export function refreshExpiry(
  token: Pick<Token, 'refreshTokenExpiresAt' | 'refreshTokenHash'>,
  now: number = Date.now(),
): Expiry | null {
  const at = token.refreshTokenExpiresAt;
  if (at === 0) return token.refreshTokenHash ? { state: 'never' } : null;
  return at <= now ? { state: 'expired', at } : { state: 'active', at };
}

/** Last time the token was issued or refreshed. */
export function lastActivity(token: Pick<Token, 'createdAt' | 'lastRefreshedAt'>): number {
  return Math.max(token.createdAt, token.lastRefreshedAt);
}

/**
 * Days since the token was last issued or refreshed when that is long enough for Authlete's
 * 90-day sweep to matter soon; null otherwise.
 */
export function staleDays(
  token: Pick<Token, 'createdAt' | 'lastRefreshedAt'>,
  now: number = Date.now(),
): number | null {
  const days = daysSince(lastActivity(token), now);
  return days >= STALE_AFTER_DAYS ? days : null;
}

/** Days left before Authlete's sweep may remove a token idle this long; 0 when it may go at any time. */
export function daysBeforeSweep(days: number): number {
  return Math.max(0, SWEEP_AFTER_DAYS - days);
}
