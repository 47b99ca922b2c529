/**
 * Turning the edit form into a PATCH body and a human-readable before/after diff. Pure, so the
 * diff that the admin confirms is exactly what is sent (and what the audit log records).
 */
import { formatUtc } from '@/lib/format';
import type { Token, TokenUpdateInput } from '@/lib/schemas';
import type { PropertyRow } from './properties-editor';

export interface EditValues {
  scopes: string[];
  expiry: { mode: 'never' } | { mode: 'at'; at: number };
  properties: PropertyRow[];
}

export interface Change {
  field: 'scopes' | 'expires' | 'properties';
  before: string;
  after: string;
}

/** The words a diff needs, in the person's language: an empty value, no expiry, a hidden property. */
export interface DiffWords {
  none: string;
  never: string;
  hidden: (entry: string) => string;
}

export function editValuesOf(token: Token): EditValues {
  return {
    scopes: [...token.scopes],
    expiry: token.accessTokenExpiresAt === 0 ? { mode: 'never' } : { mode: 'at', at: token.accessTokenExpiresAt },
    properties: token.properties.map(({ key, value, hidden }) => ({ key, value, hidden })),
  };
}

const sameScopes = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
const describeScopes = (scopes: readonly string[], words: DiffWords) => (scopes.length ? scopes.join(' ') : words.none);
const describeExpiry = (at: number, words: DiffWords) => (at === 0 ? words.never : formatUtc(at));
const describeProperties = (rows: readonly PropertyRow[], words: DiffWords) =>
  rows.length
    ? rows.map((row) => (row.hidden ? words.hidden(`${row.key}=${row.value}`) : `${row.key}=${row.value}`)).join(', ')
    : words.none;
const sameProperties = (a: readonly PropertyRow[], b: readonly PropertyRow[]) =>
  a.length === b.length &&
  a.every((row, i) => row.key === b[i]?.key && row.value === b[i]?.value && row.hidden === b[i]?.hidden);

/** Only the fields that changed go into the body; an empty `changes` means nothing to save. */
export function buildUpdate(
  token: Token,
  values: EditValues,
  words: DiffWords,
): { input: TokenUpdateInput; changes: Change[] } {
  const input: TokenUpdateInput = {};
  const changes: Change[] = [];
  if (!sameScopes(token.scopes, values.scopes)) {
    input.scopes = values.scopes;
    changes.push({
      field: 'scopes',
      before: describeScopes(token.scopes, words),
      after: describeScopes(values.scopes, words),
    });
  }
  const before = token.accessTokenExpiresAt;
  const after = values.expiry.mode === 'never' ? 0 : values.expiry.at;
  if (before !== after) {
    if (after === 0) input.accessTokenPersistent = true;
    else {
      input.accessTokenExpiresAt = after;
      // Leaving "never expires" needs the persistent flag cleared, or Authlete keeps it forever.
      if (before === 0) input.accessTokenPersistent = false;
    }
    changes.push({ field: 'expires', before: describeExpiry(before, words), after: describeExpiry(after, words) });
  }
  const current = token.properties.map(({ key, value, hidden }) => ({ key, value, hidden }));
  if (!sameProperties(current, values.properties)) {
    input.properties = values.properties;
    changes.push({
      field: 'properties',
      before: describeProperties(current, words),
      after: describeProperties(values.properties, words),
    });
  }
  return { input, changes };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The wall-clock fields of `ms` in `timeZone` (24-hour), through Intl. */
function wallClock(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `ms` (whole seconds). */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const wall = wallClock(ms, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * ms → the value of an <input type="datetime-local">: in `timeZone` (the zone saved on the person's
 * account, as every shown time is), else the browser's.
 */
export function toDateTimeLocal(ms: number, timeZone?: string): string {
  if (timeZone) {
    const wall = wallClock(ms, timeZone);
    return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
  }
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The value of an <input type="datetime-local"> → ms, or null when incomplete: read in `timeZone`
 * when given, else the browser's zone. A wall time a zone skips (spring forward) lands after the gap.
 */
export function fromDateTimeLocal(value: string, timeZone?: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value);
  if (!match) return null;
  if (!timeZone) {
    const ms = new Date(value).getTime();
    return Number.isNaN(ms) ? null : ms;
  }
  const [, year, month, day, hour, minute, second = '0', fraction = '0'] = match;
  const wallAsUtc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number(fraction.padEnd(3, '0')),
  );
  if (Number.isNaN(wallAsUtc)) return null;
  // Two candidates (the offset at the wall time read as UTC, then at that guess): one shows the
  // wall time asked for, unless the zone skipped it (spring forward), then the later one is after the gap.
  const early = wallAsUtc - zoneOffsetMs(wallAsUtc, timeZone);
  const refined = wallAsUtc - zoneOffsetMs(early, timeZone);
  const shows = (ms: number) => toDateTimeLocal(ms, timeZone) === value.slice(0, 16);
  if (shows(refined)) return refined;
  if (shows(early)) return early;
  return Math.max(early, refined);
}
