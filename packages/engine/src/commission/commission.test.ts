import { describe, expect, it } from 'vitest';
import { commissionGrants } from './commission.ts';

const on = { enabled: true, depth: 1 as const, level1Pct: 10, level2Pct: 5, storeRecruitPct: 20 };

describe('commission', () => {
  it('pays level 1 only at depth 1 and both levels at depth 2, pending on the order', () => {
    const input = { orderId: 'o1', paidFen: 10000, buyerId: 'C', level1: 'B', level2: 'A' };
    expect(commissionGrants(input, on).map((g) => [g.userId, g.amount])).toEqual([['B', 1000]]);
    expect(
      commissionGrants(input, { ...on, depth: 2 }).map((g) => [
        g.userId,
        g.amount,
        g.dependsOnOrders,
      ]),
    ).toEqual([
      ['B', 1000, ['o1']],
      ['A', 500, ['o1']],
    ]);
    expect(commissionGrants(input, { ...on, enabled: false })).toEqual([]);
  });

  it('store recruiting: a share of the platform commission on the store’s order', () => {
    const g = commissionGrants(
      {
        orderId: 'o1',
        paidFen: 10000,
        buyerId: 'C',
        level1: null,
        level2: null,
        store: { id: 'S1', recruiterId: 'R', platformCommissionPct: 10 },
      },
      on,
    );
    expect(g.map((x) => [x.userId, x.amount, x.reason])).toEqual([
      ['R', 200, 'commission.store_recruit'],
    ]);
  });
});
