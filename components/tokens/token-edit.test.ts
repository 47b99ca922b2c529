import { describe, expect, it } from 'vitest';
import { droppedScopes, tokenUpdateInputSchema, type Token } from '@/lib/schemas';
import { fromDateTimeLocal, toDateTimeLocal } from '@/lib/datetime-local';
import { buildUpdate, editValuesOf, type DiffWords } from './token-edit';

const words: DiffWords = { none: '(none)', never: 'never', hidden: (entry) => `${entry} (hidden)` };

const expires = Date.UTC(2026, 0, 1, 12, 0, 0);
const token: Token = {
  accessTokenHash: 'h'.repeat(43),
  clientId: '7',
  subject: 'john',
  grantType: 'PASSWORD',
  scopes: ['openid', 'profile'],
  createdAt: 1,
  accessTokenExpiresAt: expires,
  refreshTokenExpiresAt: 0,
  lastRefreshedAt: 0,
  properties: [{ key: 'plan', value: 'gold', hidden: false }],
};

describe('buildUpdate', () => {
  it('finds nothing to save when nothing changed, whatever the scope order', () => {
    const values = editValuesOf(token);
    values.scopes.reverse();
    expect(buildUpdate(token, values, words)).toEqual({ input: {}, changes: [] });
  });

  it('sends only changed fields and describes each change', () => {
    const values = editValuesOf(token);
    values.scopes = ['openid'];
    values.properties = [{ key: 'plan', value: 'silver', hidden: true }];
    const { input, changes } = buildUpdate(token, values, words);
    expect(input).toEqual({ scopes: ['openid'], properties: [{ key: 'plan', value: 'silver', hidden: true }] });
    expect(changes).toEqual([
      { field: 'scopes', before: 'openid profile', after: 'openid' },
      { field: 'properties', before: 'plan=gold', after: 'plan=silver (hidden)' },
    ]);
    expect(tokenUpdateInputSchema.safeParse(input).success).toBe(true);
  });

  it('maps "never expires" to the persistent flag, and back again', () => {
    const toNever = buildUpdate(token, { ...editValuesOf(token), expiry: { mode: 'never' } }, words);
    expect(toNever.input).toEqual({ accessTokenPersistent: true });
    expect(toNever.changes).toEqual([{ field: 'expires', before: '2026-01-01 12:00:00 UTC', after: 'never' }]);

    const persistent = { ...token, accessTokenExpiresAt: 0 };
    const toDate = buildUpdate(persistent, { ...editValuesOf(persistent), expiry: { mode: 'at', at: expires } }, words);
    expect(toDate.input).toEqual({ accessTokenExpiresAt: expires, accessTokenPersistent: false });
    expect(tokenUpdateInputSchema.safeParse(toDate.input).success).toBe(true);
  });
});

describe('datetime-local conversion', () => {
  it('round-trips to the minute in the local zone', () => {
    const ms = new Date(2026, 2, 4, 5, 6).getTime();
    expect(toDateTimeLocal(ms)).toBe('2026-03-04T05:06');
    expect(fromDateTimeLocal('2026-03-04T05:06')).toBe(ms);
  });
  it('rejects incomplete values', () => {
    expect(fromDateTimeLocal('')).toBeNull();
    expect(fromDateTimeLocal('2026-03-04')).toBeNull();
  });
});

describe('dropped scopes after saving', () => {
  it('names the requested scopes Authlete did not keep, once each and in request order', () => {
    expect(droppedScopes(['openid', 'email', 'payments.write', 'email'], ['openid'])).toEqual([
      'email',
      'payments.write',
    ]);
    expect(droppedScopes(undefined, ['openid'])).toEqual([]);
    expect(droppedScopes(['openid'], ['openid', 'profile'])).toEqual([]);
  });
});

describe('datetime-local values in a saved time zone', () => {
  it("reads and writes the wall clock of the zone, whatever the browser's", () => {
    const ms = Date.UTC(2026, 11, 3, 1, 30);
    expect(toDateTimeLocal(ms, 'Asia/Tokyo')).toBe('2026-12-03T10:30');
    expect(fromDateTimeLocal('2026-12-03T10:30', 'Asia/Tokyo')).toBe(ms);
    expect(toDateTimeLocal(ms, 'UTC')).toBe('2026-12-03T01:30');
    expect(fromDateTimeLocal('2026-12-03T01:30', 'UTC')).toBe(ms);
    expect(fromDateTimeLocal('2026-12-03T10:30:15.5', 'Asia/Tokyo')).toBe(ms + 15_500);
    expect(fromDateTimeLocal('2026-12-03', 'Asia/Tokyo')).toBeNull();
  });

  it('keeps the right offset on both sides of a daylight-saving change', () => {
    // New York: EST (UTC-5) until 2026-03-08 02:00, then EDT (UTC-4).
    expect(fromDateTimeLocal('2026-03-08T01:30', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 6, 30));
    expect(fromDateTimeLocal('2026-03-08T03:30', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 30));
    expect(toDateTimeLocal(Date.UTC(2026, 2, 8, 7, 30), 'America/New_York')).toBe('2026-03-08T03:30');
    // The skipped hour lands after the gap.
    expect(fromDateTimeLocal('2026-03-08T02:30', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 30));
  });
});
