/**
 * Local calendar arithmetic in a named time zone without a clock: instants are epoch
 * milliseconds passed in by the caller. Uses Intl (pure) to read a zone's offset.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * @example isValidTimeZone('Asia/Shanghai') // true
 * @example isValidTimeZone('Mars/Base') // false
 */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall-clock fields of instant `ms` in `timeZone`.
 *
 * @example localParts(Date.UTC(2026, 0, 1, 2), 'Asia/Shanghai').hour // 10
 */
export function localParts(ms: number, timeZone: string): LocalParts {
  // Fast path: zone offsets only change on quarter-hour boundaries, so cache the offset
  // per 15-minute bucket and read the fields from a shifted UTC date.
  const offset = offsetMs(ms, timeZone);
  const d = new Date(ms + offset);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

const BUCKET_MS = 900_000;
const offsets = new Map<string, Map<number, number>>();

/** Offset of `timeZone` from UTC at instant `ms`, in ms (cached per 15-minute bucket). */
function offsetMs(ms: number, timeZone: string): number {
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  const bucket = Math.floor(ms / BUCKET_MS);
  let off = zone.get(bucket);
  if (off === undefined) {
    const start = bucket * BUCKET_MS;
    const p = intlParts(start, timeZone);
    off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - start;
    if (zone.size > 100_000) zone.clear();
    zone.set(bucket, off);
  }
  return off;
}

function intlParts(ms: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts.year ?? 1970;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  return {
    year,
    month,
    day,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/**
 * The instant of a local wall-clock time (handles DST by re-reading the offset).
 *
 * @example new Date(zonedTimeToMs(2026, 1, 1, 0, 0, 0, 'Asia/Shanghai')).toISOString() // '2025-12-31T16:00:00.000Z'
 */
export function zonedTimeToMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  timeZone: string,
): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const p = localParts(guess, timeZone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += asUtc - seen;
  }
  return guess;
}

/** `YYYY-MM-DD` of the local day containing `ms`. */
export function localDayKey(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * The first local midnight strictly after `ms` that starts a day / week (Monday) /
 * month, for clearing and pool jobs.
 *
 * @example nextBoundary(Date.parse('2026-01-01T10:00:00+08:00'), 'daily', 'Asia/Shanghai') === Date.parse('2026-01-02T00:00:00+08:00') // true
 */
export function nextBoundary(
  ms: number,
  every: 'daily' | 'weekly' | 'monthly' | 'yearly',
  timeZone: string,
): number {
  const p = localParts(ms, timeZone);
  if (every === 'yearly') return zonedTimeToMs(p.year + 1, 1, 1, 0, 0, 0, timeZone);
  if (every === 'monthly') {
    const y = p.month === 12 ? p.year + 1 : p.year;
    const m = p.month === 12 ? 1 : p.month + 1;
    return zonedTimeToMs(y, m, 1, 0, 0, 0, timeZone);
  }
  // Next calendar day (Date.UTC normalises day overflow), then for weekly skip to Monday.
  const daysAhead = every === 'daily' ? 1 : (8 - p.weekday) % 7 || 7;
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + daysAhead));
  return zonedTimeToMs(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, 0, timeZone);
}

/** Minutes since local midnight. */
export function localMinuteOfDay(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return p.hour * 60 + p.minute;
}

/**
 * Parse a scenario time. With an explicit offset or `Z` it is an instant; without one it
 * is read as wall-clock time in `timeZone` (never the machine's zone). Null if invalid:
 * a day the month does not have (2026-02-31), a time past 23:59:59, or a wall-clock time
 * the zone skips when its clocks go forward. A time the zone repeats when its clocks go
 * back is the first of the two.
 *
 * @example parseInstant('2026-01-01T10:00:00+08:00', 'UTC') === Date.UTC(2026, 0, 1, 2) // true
 * @example parseInstant('2026-02-31', 'Asia/Shanghai') // null
 */
export function parseInstant(text: string, timeZone: string): number | null {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text,
    );
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null;
  }
  if (zone) {
    const ms = Date.parse(text.replace(' ', 'T'));
    return Number.isFinite(ms) ? ms : null;
  }
  const ms = zonedTimeToMs(year, month, day, hour, minute, second, timeZone);
  const p = localParts(ms, timeZone);
  // a wall-clock time skipped by a DST change reads back as another time
  const same =
    p.year === year &&
    p.month === month &&
    p.day === day &&
    p.hour === hour &&
    p.minute === minute &&
    p.second === second;
  return same ? ms : null;
}

/** @example daysInMonth(2024, 2) // 29 */
function daysInMonth(year: number, month: number): number {
  // day 0 of the next month is the last day of this one
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
