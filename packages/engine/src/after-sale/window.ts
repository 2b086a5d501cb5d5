/** One day of the after-sale window: 24 hours, whatever the calendar or time zone says. */
const DAY_MS = 86_400_000;

/**
 * When does an order's after-sale window end? `settleAfterDays × 24 h` after completion,
 * with `settleAfterDays` of the rules in force when the order was placed
 * (docs/models/ledger-and-money.md). Until then a refund can still cancel the order's
 * rewards; at the end they may become available. 0 days: the window ends at completion.
 *
 * @example windowEndsAtMs(Date.parse('2026-01-03T09:00:00+08:00'), 7) === Date.parse('2026-01-10T09:00:00+08:00') // true
 */
export function windowEndsAtMs(completedAtMs: number, settleAfterDays: number): number {
  return completedAtMs + settleAfterDays * DAY_MS;
}
