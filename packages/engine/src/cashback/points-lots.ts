/**
 * Points lots: each grant that becomes available is a lot with its own expiry. Spending
 * consumes the oldest lots first; expiry forfeits what is left of a lot (docs/models/cashback-points.md).
 */
export interface PointsLot {
  id: string;
  remaining: number;
  /** Null = never expires. */
  expiresAtMs: number | null;
}

/**
 * When does a lot that became available at `availableAtMs` expire? After `expiryDays`
 * days, or at the next local new year when `yearEndMs` is given; the earlier wins.
 *
 * @example lotExpiry(0, 30, null) // 2592000000
 */
export function lotExpiry(
  availableAtMs: number,
  expiryDays: number | null,
  yearEndMs: number | null,
): number | null {
  const byDays = expiryDays === null ? null : availableAtMs + expiryDays * 86_400_000;
  if (byDays === null) return yearEndMs;
  if (yearEndMs === null) return byDays;
  return Math.min(byDays, yearEndMs);
}

/**
 * Take `points` from the lots, oldest first (lots are kept in the order they were
 * granted). Returns what was taken from each lot; mutates `remaining`. Takes at most what
 * is there.
 *
 * @example consumeOldestFirst([{ id: 'a', remaining: 5, expiresAtMs: null }, { id: 'b', remaining: 5, expiresAtMs: null }], 7)
 * // [{ lotId: 'a', points: 5 }, { lotId: 'b', points: 2 }]
 */
export function consumeOldestFirst(
  lots: PointsLot[],
  points: number,
): { lotId: string; points: number }[] {
  const taken: { lotId: string; points: number }[] = [];
  let left = points;
  for (const lot of lots) {
    if (left <= 0) break;
    if (lot.remaining <= 0) continue;
    const t = Math.min(lot.remaining, left);
    lot.remaining -= t;
    left -= t;
    taken.push({ lotId: lot.id, points: t });
  }
  return taken;
}
