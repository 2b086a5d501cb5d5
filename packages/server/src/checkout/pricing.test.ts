import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memberDiscountFen } from '@fanli/engine';
import { priceOrder, shareOfUnits, type PricingInput } from './pricing.ts';

const input = fc.record({
  lines: fc.array(
    fc.record({
      skuId: fc.integer({ min: 1, max: 50 }),
      unitPriceFen: fc.integer({ min: 0, max: 2_000_000 }),
      qty: fc.integer({ min: 1, max: 20 }),
    }),
    { minLength: 1, maxLength: 8 },
  ),
  memberDiscountPct: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 10000 }).map((h) => h / 100),
  ),
  coupon: fc.option(
    fc.record({
      discountFen: fc.integer({ min: 0, max: 5_000_000 }),
      eligibleSkuIds: fc.option(fc.array(fc.integer({ min: 1, max: 50 })), { nil: undefined }),
    }),
    { nil: null },
  ),
  points: fc.option(
    fc.record({
      enabled: fc.boolean(),
      pointsPerYuan: fc.integer({ min: 1, max: 10_000 }),
      maxSharePct: fc.integer({ min: 0, max: 10000 }).map((h) => h / 100),
      available: fc.integer({ min: 0, max: 10_000_000 }),
      maxPoints: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
    }),
    { nil: null },
  ),
  balance: fc.option(
    fc.record({
      availableFen: fc.integer({ min: 0, max: 50_000_000 }),
      maxFen: fc.option(fc.integer({ min: 0, max: 50_000_000 }), { nil: undefined }),
    }),
    { nil: null },
  ),
}) as fc.Arbitrary<PricingInput>;

describe('price pipeline', () => {
  it('line paid amounts always sum to the payable; every step sums to its total; no negative line', () => {
    fc.assert(
      fc.property(input, (i) => {
        const o = priceOrder(i);
        const total = (k: keyof (typeof o.lines)[number]) =>
          o.lines.reduce((s, l) => s + (l[k] as number), 0);
        expect(total('paidFen')).toBe(o.payableFen);
        expect(total('subtotalFen')).toBe(o.itemsFen);
        expect(total('memberDiscountFen')).toBe(o.memberDiscountFen);
        expect(total('couponFen')).toBe(o.couponFen);
        expect(total('pointsFen')).toBe(o.pointsFen);
        expect(total('points')).toBe(o.pointsUsed);
        expect(total('balanceFen')).toBe(o.balanceFen);
        expect(o.itemsFen - o.memberDiscountFen - o.couponFen - o.pointsFen - o.balanceFen).toBe(
          o.payableFen,
        );
        for (const l of o.lines) {
          for (const v of Object.values(l)) expect(v).toBeGreaterThanOrEqual(0);
          expect(
            l.subtotalFen - l.memberDiscountFen - l.couponFen - l.pointsFen - l.balanceFen,
          ).toBe(l.paidFen);
        }
        if (i.points) {
          expect(o.pointsUsed).toBeLessThanOrEqual(i.points.available);
          if (i.points.maxPoints !== undefined)
            expect(o.pointsUsed).toBeLessThanOrEqual(i.points.maxPoints);
        }
        if (i.balance) expect(o.balanceFen).toBeLessThanOrEqual(i.balance.availableFen);
      }),
      { numRuns: 2000 },
    );
  });

  it('worked example of docs/commerce.md', () => {
    const o = priceOrder({
      lines: [
        { skuId: 1, unitPriceFen: 9900, qty: 2 },
        { skuId: 2, unitPriceFen: 6800, qty: 1 },
      ],
      memberDiscountPct: 0,
      coupon: null,
      points: { enabled: true, pointsPerYuan: 100, maxSharePct: 10, available: 5000 },
      balance: { availableFen: 1000 },
    });
    expect(o).toMatchObject({
      itemsFen: 26600,
      pointsFen: 2660,
      pointsUsed: 2660,
      balanceFen: 1000,
      payableFen: 22940,
    });
    expect(o.lines.map((l) => [l.pointsFen, l.balanceFen, l.paidFen])).toEqual([
      [1980, 744, 17076],
      [680, 256, 5864],
    ]);
  });

  it('member discount first, rounded down like the simulator, then points on what is left', () => {
    const o = priceOrder({
      lines: [
        { skuId: 1, unitPriceFen: 9999, qty: 1 },
        { skuId: 2, unitPriceFen: 10000, qty: 1 },
      ],
      memberDiscountPct: 2.5,
      coupon: null,
      points: { enabled: true, pointsPerYuan: 100, maxSharePct: 10, available: 5000 },
      balance: null,
    });
    // 199.99 × 2.5 % = 4.99975 → 4.99; points: 10 % of 195.00
    expect(o).toMatchObject({ itemsFen: 19999, memberDiscountFen: 499, pointsFen: 1950 });
    expect(o.memberDiscountFen).toBe(memberDiscountFen(19999, 2.5));
    expect(o.payableFen).toBe(19999 - 499 - 1950);
  });

  it('successive partial refunds of a line add up to the line amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 10 }),
        (totalFen, steps) => {
          const qty = steps.reduce((a, b) => a + b, 0);
          let done = 0;
          let refunded = 0;
          for (const s of steps) {
            const part = shareOfUnits(totalFen, qty, done, s);
            expect(part).toBeGreaterThanOrEqual(0);
            refunded += part;
            done += s;
          }
          expect(refunded).toBe(totalFen);
        },
      ),
    );
  });
});
