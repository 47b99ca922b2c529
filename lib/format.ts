/**
 * Display formatting shared by every page: times in the viewer's zone (UTC on hover), durations
 * and short hashes. Pure functions with no dependencies, so they cost almost nothing in the bundle.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface FormatOptions {
  /** BCP 47 locale; the viewer's own when omitted. */
  locale?: string;
  /** IANA zone; the viewer's own when omitted. */
  timeZone?: string;
}

/** "in 3 days", "5 minutes ago", "now": the coarsest unit that is at least 1. */
export function formatRelative(ms: number, now: number = Date.now(), { locale }: FormatOptions = {}): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' });
  const diff = ms - now;
  const abs = Math.abs(diff);
  if (abs < 45 * SECOND) return rtf.format(0, 'second');
  if (abs < 45 * MINUTE) return rtf.format(Math.round(diff / MINUTE), 'minute');
  if (abs < 22 * HOUR) return rtf.format(Math.round(diff / HOUR), 'hour');
  if (abs < 45 * DAY) return rtf.format(Math.round(diff / DAY), 'day');
  if (abs < 365 * DAY) return rtf.format(Math.round(diff / (30 * DAY)), 'month');
  return rtf.format(Math.round(diff / (365 * DAY)), 'year');
}

/**
 * Date and time in the viewer's zone: "Nov 25, 2025, 2:03 PM GMT+1"; or, for dense tables where
 * the page names the zone once, `compact`: "11/25/25, 2:03 PM".
 */
export function formatAbsolute(
  ms: number,
  { locale, timeZone, compact = false }: FormatOptions & { compact?: boolean } = {},
): string {
  const options: Intl.DateTimeFormatOptions = compact
    ? { dateStyle: 'short', timeStyle: 'short', timeZone }
    : {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZone,
        timeZoneName: 'short',
      };
  return new Intl.DateTimeFormat(locale, options).format(ms);
}

/** The viewer's zone, for a "times in …" note: "Europe/Berlin (GMT+1)". */
export function describeTimeZone(now: number = Date.now(), { locale, timeZone }: FormatOptions = {}): string {
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone === 'UTC' || zone === 'Etc/UTC') return 'UTC';
  const offset = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'shortOffset' })
    .formatToParts(now)
    .find((part) => part.type === 'timeZoneName')?.value;
  return offset && offset !== zone ? `${zone} (${offset})` : zone;
}

/** Unambiguous UTC form for tooltips and exports: "2025-11-25 13:03:09 UTC". */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const durationUnits = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

/**
 * A duration in seconds as its two largest non-zero units, in the viewer's language through Intl:
 * "90 days", "1 hr 30 min", "45 sec"; "90 日", "1 時間30 分". Authlete's durations are seconds; 0 means
 * "the service default".
 */
export function formatDuration(seconds: number, { locale }: Pick<FormatOptions, 'locale'> = {}): string {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`Not a duration: ${seconds}`);
  const unitFormat = (unit: string) => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' });
  if (seconds === 0) return unitFormat('second').format(0);
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of durationUnits) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(unitFormat(unit).format(count));
    if (parts.length === 2) break;
  }
  return new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' }).format(parts);
}

/** The first characters of a token hash: enough to tell tokens apart on screen, too few to be the hash. */
export function shortHash(hash: string, length = 8): string {
  return hash.length <= length ? hash : `${hash.slice(0, length)}…`;
}

/** Whole days between two instants, rounded down (0 for the future). */
export function daysSince(ms: number, now: number = Date.now()): number {
  return Math.max(0, Math.floor((now - ms) / DAY));
}

/** "AUTHORIZATION_CODE" → "authorization code": how the form and tables (and messages about them) name a grant type. */
export function grantTypeLabel(grantType: string): string {
  return grantType.toLowerCase().replace(/_/g, ' ');
}
