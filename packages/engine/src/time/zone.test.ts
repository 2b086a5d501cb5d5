import { describe, expect, it } from 'vitest';
import { localDayKey, localParts, nextBoundary, parseInstant, zonedTimeToMs } from './zone.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('parseInstant', () => {
  it('reads a time without an offset as wall-clock time in the zone', () => {
    expect(iso(parseInstant('2026-01-01T10:00', 'Asia/Shanghai'))).toBe('2026-01-01T02:00:00.000Z');
    expect(iso(parseInstant('2026-01-01 10:00:30', 'UTC'))).toBe('2026-01-01T10:00:30.000Z');
    expect(iso(parseInstant('2026-06-01', 'Asia/Shanghai'))).toBe('2026-05-31T16:00:00.000Z');
  });

  it('reads a time with an offset as that instant, whatever the zone', () => {
    for (const text of ['2026-01-01T10:00:00+08:00', '2026-01-01T10:00:00+0800']) {
      expect(iso(parseInstant(text, 'UTC'))).toBe('2026-01-01T02:00:00.000Z');
      expect(iso(parseInstant(text, 'America/New_York'))).toBe('2026-01-01T02:00:00.000Z');
    }
    expect(iso(parseInstant('2026-01-01T02:00:00Z', 'Asia/Shanghai'))).toBe(
      '2026-01-01T02:00:00.000Z',
    );
  });

  it('refuses days the month does not have, with or without an offset', () => {
    for (const text of [
      '2026-02-31',
      '2026-02-29',
      '2026-04-31',
      '2026-02-30T10:00',
      '2026-02-31T00:00:00Z',
      '2026-02-31T00:00:00+08:00',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '2026-01-32',
    ]) {
      expect(parseInstant(text, 'Asia/Shanghai'), text).toBeNull();
    }
  });

  it('accepts 29 February in a leap year and the last day of every month', () => {
    expect(iso(parseInstant('2024-02-29', 'UTC'))).toBe('2024-02-29T00:00:00.000Z');
    expect(iso(parseInstant('2000-02-29', 'UTC'))).toBe('2000-02-29T00:00:00.000Z');
    expect(parseInstant('2100-02-29', 'UTC')).toBeNull(); // not a leap year
    const last = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    last.forEach((day, i) => {
      const text = `2026-${String(i + 1).padStart(2, '0')}-${day}`;
      expect(parseInstant(text, 'Asia/Shanghai'), text).not.toBeNull();
    });
  });

  it('refuses impossible times', () => {
    for (const text of [
      '2026-01-01T24:00',
      '2026-01-01T24:61',
      '2026-01-01T23:60',
      '2026-01-01T23:59:60',
      '2026-01-01T10:00:00+25:00',
      '2026-1-1',
      '2026-01-01T10',
      'tomorrow',
      '',
    ]) {
      expect(parseInstant(text, 'Asia/Shanghai'), text).toBeNull();
    }
  });

  it('crosses the year end in a zone ahead of UTC', () => {
    // 23:59:59 on 31 December in Shanghai is still 2026 there, 15:59:59 UTC
    expect(iso(parseInstant('2026-12-31T23:59:59', 'Asia/Shanghai'))).toBe(
      '2026-12-31T15:59:59.000Z',
    );
    // midnight of 1 January in Shanghai is the afternoon of 31 December in UTC
    expect(iso(parseInstant('2027-01-01T00:00', 'Asia/Shanghai'))).toBe('2026-12-31T16:00:00.000Z');
    expect(parseInstant('2026-12-32', 'Asia/Shanghai')).toBeNull();
  });

  it('in a zone with daylight saving, refuses the skipped hour and takes the first of a repeated one', () => {
    // New York: clocks go 02:00 → 03:00 on 8 March 2026 and 02:00 → 01:00 on 1 November
    expect(parseInstant('2026-03-08T02:30', 'America/New_York')).toBeNull();
    expect(iso(parseInstant('2026-03-08T01:59', 'America/New_York'))).toBe(
      '2026-03-08T06:59:00.000Z', // EST, UTC−5
    );
    expect(iso(parseInstant('2026-03-08T03:00', 'America/New_York'))).toBe(
      '2026-03-08T07:00:00.000Z', // EDT, UTC−4
    );
    expect(iso(parseInstant('2026-11-01T01:30', 'America/New_York'))).toBe(
      '2026-11-01T05:30:00.000Z', // the first 01:30, still EDT
    );
  });
});

describe('zone arithmetic', () => {
  it('Shanghai keeps UTC+8 all year (no daylight saving)', () => {
    for (const month of [1, 4, 7, 10]) {
      const ms = zonedTimeToMs(2026, month, 15, 12, 0, 0, 'Asia/Shanghai');
      expect(ms).toBe(Date.UTC(2026, month - 1, 15, 4));
      expect(localParts(ms, 'Asia/Shanghai').hour).toBe(12);
    }
  });

  it('the local day and the next year boundary follow the zone, not UTC', () => {
    const lateUtc = Date.UTC(2026, 11, 31, 17); // already 1 January 01:00 in Shanghai
    expect(localDayKey(lateUtc, 'Asia/Shanghai')).toBe('2027-01-01');
    expect(localDayKey(lateUtc, 'UTC')).toBe('2026-12-31');
    expect(iso(nextBoundary(Date.UTC(2026, 11, 31, 15), 'yearly', 'Asia/Shanghai'))).toBe(
      '2026-12-31T16:00:00.000Z',
    );
    expect(iso(nextBoundary(Date.UTC(2026, 11, 31, 15), 'daily', 'Asia/Shanghai'))).toBe(
      '2026-12-31T16:00:00.000Z',
    );
    expect(iso(nextBoundary(Date.UTC(2026, 11, 31, 15), 'monthly', 'Asia/Shanghai'))).toBe(
      '2026-12-31T16:00:00.000Z',
    );
  });
});
