import { describe, expect, it } from 'vitest';
import { cashbackGrants } from './cashback.ts';
import { consumeOldestFirst, lotExpiry } from './points-lots.ts';

describe('cashback', () => {
  it('every 100.00 spent → 5 points; 150.00 → 7 (rounded down)', () => {
    const s = { enabled: true, form: 'points' as const, pointsPerYuan: 0.05, pct: 0 };
    expect(cashbackGrants({ orderId: 'o', userId: 'A', paidFen: 10000 }, s)[0]?.amount).toBe(5);
    expect(cashbackGrants({ orderId: 'o', userId: 'A', paidFen: 15000 }, s)[0]).toMatchObject({
      amount: 7,
      asset: 'points',
      dependsOnOrders: ['o'],
    });
    expect(cashbackGrants({ orderId: 'o', userId: 'A', paidFen: 1999 }, s)).toEqual([]);
  });

  it('cash form uses pct', () => {
    expect(
      cashbackGrants(
        { orderId: 'o', userId: 'A', paidFen: 10000 },
        { enabled: true, form: 'cash', pointsPerYuan: 0, pct: 3 },
      )[0],
    ).toMatchObject({
      asset: 'cash',
      amount: 300,
    });
  });
});

describe('points lots', () => {
  it('consume oldest first and never more than there is', () => {
    const lots = [
      { id: 'a', remaining: 5, expiresAtMs: 10 },
      { id: 'b', remaining: 5, expiresAtMs: 20 },
    ];
    expect(consumeOldestFirst(lots, 7)).toEqual([
      { lotId: 'a', points: 5 },
      { lotId: 'b', points: 2 },
    ]);
    expect(consumeOldestFirst(lots, 10)).toEqual([{ lotId: 'b', points: 3 }]);
  });

  it('expire after D days or at year end, whichever is first', () => {
    expect(lotExpiry(0, 1, null)).toBe(86_400_000);
    expect(lotExpiry(0, null, 5)).toBe(5);
    expect(lotExpiry(0, 1, 5)).toBe(5);
    expect(lotExpiry(0, null, null)).toBeNull();
  });
});
