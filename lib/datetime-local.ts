/** `<input type="datetime-local">` values and instants, in a chosen IANA time zone or the browser's. */

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
