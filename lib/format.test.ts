import { describe, expect, it } from 'vitest';
import {
  daysSince,
  describeTimeZone,
  formatAbsolute,
  formatDuration,
  formatRelative,
  formatUtc,
  shortHash,
} from './format';

const now = Date.UTC(2025, 10, 25, 12, 0, 0);
const en = { locale: 'en-US' };
const ja = { locale: 'ja' };

describe('formatRelative', () => {
  it('says "now" within 45 seconds either side', () => {
    expect(formatRelative(now + 30_000, now, en)).toBe('now');
    expect(formatRelative(now - 44_000, now, en)).toBe('now');
  });
  it('picks the coarsest sensible unit in both directions', () => {
    expect(formatRelative(now - 5 * 60_000, now, en)).toBe('5 minutes ago');
    expect(formatRelative(now + 3 * 3_600_000, now, en)).toBe('in 3 hours');
    expect(formatRelative(now - 86_400_000, now, en)).toBe('yesterday');
    expect(formatRelative(now + 10 * 86_400_000, now, en)).toBe('in 10 days');
    expect(formatRelative(now - 90 * 86_400_000, now, en)).toBe('3 months ago');
    expect(formatRelative(now + 800 * 86_400_000, now, en)).toBe('in 2 years');
  });
});

describe('formatAbsolute and formatUtc', () => {
  it('renders in the requested zone with its name', () => {
    expect(formatAbsolute(now, { locale: 'en-US', timeZone: 'Asia/Tokyo' })).toBe('Nov 25, 2025, 9:00 PM GMT+9');
    expect(formatAbsolute(now, { locale: 'en-US', timeZone: 'UTC' })).toBe('Nov 25, 2025, 12:00 PM UTC');
  });
  it('has a compact form without the zone name for tables', () => {
    expect(formatAbsolute(now, { locale: 'en-US', timeZone: 'Asia/Tokyo', compact: true })).toBe('11/25/25, 9:00 PM');
  });
  it('shows Japan Standard Time in Japanese', () => {
    expect(formatAbsolute(now, { locale: 'ja', timeZone: 'Asia/Tokyo' })).toBe('2025年11月25日 21:00 JST');
    expect(formatAbsolute(now, { locale: 'ja', timeZone: 'Asia/Tokyo', compact: true })).toBe('2025/11/25 21:00');
    expect(formatRelative(now - 3 * 86_400_000, now, ja)).toBe('3 日前');
  });
  it('names the zone with its offset', () => {
    expect(describeTimeZone(now, { locale: 'en-US', timeZone: 'Asia/Tokyo' })).toBe('Asia/Tokyo (GMT+9)');
    expect(describeTimeZone(now, { locale: 'en-US', timeZone: 'UTC' })).toBe('UTC');
  });
  it('gives an unambiguous UTC form', () => {
    expect(formatUtc(now + 9_000)).toBe('2025-11-25 12:00:09 UTC');
  });
});

describe('formatDuration', () => {
  it('keeps the two largest non-zero units', () => {
    expect(formatDuration(90 * 86_400, en)).toBe('90 days');
    expect(formatDuration(5_400, en)).toBe('1 hr 30 min');
    expect(formatDuration(86_400 + 3_600 + 61, en)).toBe('1 day 1 hr');
    expect(formatDuration(45, en)).toBe('45 sec');
    expect(formatDuration(0, en)).toBe('0 sec');
  });
  it('speaks the viewer’s language', () => {
    expect(formatDuration(5_400, ja)).toBe('1 時間30 分');
    expect(formatDuration(90 * 86_400, ja)).toBe('90 日');
  });
  it('refuses negative and non-finite input', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });
});

describe('shortHash, daysSince', () => {
  it('shortens long hashes only', () => {
    expect(shortHash('abcdefghijklmnop')).toBe('abcdefgh…');
    expect(shortHash('abc')).toBe('abc');
  });
  it('counts whole days and never goes negative', () => {
    expect(daysSince(now - 2.5 * 86_400_000, now)).toBe(2);
    expect(daysSince(now + 86_400_000, now)).toBe(0);
  });
});
