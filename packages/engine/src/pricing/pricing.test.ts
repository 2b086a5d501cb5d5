import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memberDiscountFen } from '../members/members.ts';
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
      fenPerPoint: fc.integer({ min: 1, max: 10_000 }),
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
          // a point is worth exactly fenPerPoint, never a fraction of it
          expect(o.pointsFen).toBe(o.pointsUsed * i.points.fenPerPoint);
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
      points: { enabled: true, fenPerPoint: 100, maxSharePct: 10, available: 5000 },
      balance: { availableFen: 1000 },
    });
    // 10 % of 266.00 is 26.60: 26 points of 1.00 yuan
    expect(o).toMatchObject({
      itemsFen: 26600,
      pointsFen: 2600,
      pointsUsed: 26,
      balanceFen: 1000,
      payableFen: 23000,
    });
    expect(o.lines.map((l) => [l.points, l.pointsFen, l.balanceFen, l.paidFen])).toEqual([
      [19, 1935, 744, 17121],
      [7, 665, 256, 5879],
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
      points: { enabled: true, fenPerPoint: 100, maxSharePct: 10, available: 5000 },
      balance: null,
    });
    // 199.99 × 2.5 % = 4.99975 → 4.99; points: 10 % of 195.00 = 19.50 → 19 points
    expect(o).toMatchObject({ itemsFen: 19999, memberDiscountFen: 499, pointsFen: 1900 });
    expect(o.memberDiscountFen).toBe(memberDiscountFen(19999, 2.5));
    expect(o.payableFen).toBe(19999 - 499 - 1900);
  });

  it('what a point is worth is the rule’s fenPerPoint: 1 yuan, or 1 fen', () => {
    const priced = (fenPerPoint: number) =>
      priceOrder({
        lines: [{ skuId: 1, unitPriceFen: 10000, qty: 1 }],
        memberDiscountPct: 0,
        coupon: null,
        points: { enabled: true, fenPerPoint, maxSharePct: 50, available: 30 },
        balance: null,
      });
    expect(priced(100)).toMatchObject({ pointsUsed: 30, pointsFen: 3000, payableFen: 7000 });
    expect(priced(1)).toMatchObject({ pointsUsed: 30, pointsFen: 30, payableFen: 9970 });
    // the share caps it: 50 % of 100.00 is 50 points at 1.00 yuan, 5 000 at 0.01
    expect(priced(200)).toMatchObject({ pointsUsed: 25, pointsFen: 5000 });
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
