import { describe, expect, it } from 'vitest';
import { windowEndsAtMs } from './window.ts';

describe('after-sale window', () => {
  it('ends settleAfterDays × 24 h after completion, across a month end', () => {
    const completed = Date.parse('2026-01-28T21:30:00+08:00');
    expect(windowEndsAtMs(completed, 7)).toBe(Date.parse('2026-02-04T21:30:00+08:00'));
  });

  it('a 0-day window ends at completion', () => {
    expect(windowEndsAtMs(1_000, 0)).toBe(1_000);
  });
});
