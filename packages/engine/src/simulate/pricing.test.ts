/**
 * The simulator prices an order with the checkout's own price pipeline, so a line's paid
 * amount (what its product queue and commission see) is the one checkout computes.
 */
import { describe, expect, it } from 'vitest';
import { priceOrder } from '../pricing/pricing.ts';
import { runScenario } from './run.ts';
import { parseScenario } from './scenario.ts';
import { at, queueOnly } from './testkit.ts';

const products = [
  { id: 'A', priceFen: 2500, costFen: 1000 },
  { id: 'B', priceFen: 8700, costFen: 4000 },
  { id: 'C', priceFen: 8700, costFen: 4000 },
];

function placed(pointsUsed: number) {
  const parsed = parseScenario({
    timezone: 'Asia/Shanghai',
    seed: 7,
    settings: queueOnly({ enabled: false }),
    products,
    events: [
      {
        at: at(1),
        type: 'order',
        order: 'o1',
        user: 'U',
        lines: products.map((p) => ({ product: p.id, qty: 1 })),
        pointsUsed,
      },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return runScenario(parsed.value).orders.get('o1')!;
}

describe('simulator pricing', () => {
  it('126 points of 1.00 yuan off 25.00 + 87.00 + 87.00: each line pays what checkout says', () => {
    const checkout = priceOrder({
      lines: products.map((p, i) => ({ skuId: i, unitPriceFen: p.priceFen, qty: 1 })),
      memberDiscountPct: 0,
      coupon: null,
      points: { enabled: true, fenPerPoint: 100, maxSharePct: 100, available: 126 },
      balance: null,
    });
    const o = placed(126);
    expect(o.paidFen).toBe(checkout.payableFen);
    expect(o.paidFen).toBe(19900 - 12600);
    expect(o.lines.map((l) => l.paidFen)).toEqual(checkout.lines.map((l) => l.paidFen));
    expect(o.lines.map((l) => l.paidFen)).toEqual([917, 3191, 3192]);
  });

  it('points worth more than the order are refused', () => {
    expect(() => placed(200)).toThrow(/points worth 20000 fen exceed the order amount 19900/);
  });
});
