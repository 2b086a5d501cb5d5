import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pctHOfFen, pctOfFen, prorateFen, toScaled, unitsPerYuanOfFen } from './money.ts';

describe('pctOfFen — the one rounding function', () => {
  it('computes the queue-rebate worked examples exactly', () => {
    expect(pctOfFen(16800, 130)).toBe(21840); // 168.00 × 130 % = 218.40
    expect(pctOfFen(16800, 65)).toBe(10920); // 168.00 × 65 % = 109.20
    expect(pctOfFen(10000, 10)).toBe(1000); // 100.00 × 10 % = 10.00
  });

  it('rounds down to the fen, never up, and has no float error', () => {
    expect(pctOfFen(999, 10.5)).toBe(104);
    expect(pctOfFen(100, 0.07)).toBe(0);
    expect(pctOfFen(10000, 0.07)).toBe(7);
    expect(pctOfFen(3, 33.33)).toBe(0);
    expect(pctOfFen(1, 100)).toBe(1);
    expect(pctOfFen(1_000_000_000_000, 99.99)).toBe(999_900_000_000);
  });

  it('is exact for huge amounts (BigInt path)', () => {
    expect(pctHOfFen(Number.MAX_SAFE_INTEGER, 9999)).toBe(
      Number((BigInt(Number.MAX_SAFE_INTEGER) * 9999n) / 10000n),
    );
  });

  it('rejects pcts with more than 2 decimals', () => {
    expect(() => pctOfFen(100, 1.234)).toThrow();
    expect(toScaled(1.234, 2)).toBeNull();
  });

  it('matches exact rational arithmetic for random inputs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.integer({ min: 0, max: 100_000 }),
        (amount, pctH) => {
          const pct = pctH / 100;
          expect(pctOfFen(amount, pct)).toBe(Number((BigInt(amount) * BigInt(pctH)) / 10000n));
        },
      ),
    );
  });

  it('converts yuan to points at a rate', () => {
    expect(unitsPerYuanOfFen(15000, 0.05)).toBe(7); // 150.00 at 0.05 → 7
    expect(unitsPerYuanOfFen(10000, 0.05)).toBe(5); // every 100.00 → 5 points
  });
});

describe('prorateFen', () => {
  it('splits with largest remainders, earlier index first on ties', () => {
    expect(prorateFen(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(prorateFen(16800, [10000, 6800])).toEqual([10000, 6800]);
    expect(prorateFen(5, [0, 0])).toEqual([3, 2]);
    expect(prorateFen(0, [])).toEqual([]);
  });

  it('parts always add up to the total and are never negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 13 }),
        fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          const parts = prorateFen(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          for (const p of parts) expect(p).toBeGreaterThanOrEqual(0);
          // Each part is within one fen of its exact share.
          const sum = weights.reduce((a, b) => a + b, 0);
          if (sum > 0) {
            parts.forEach((p, i) => {
              const exact = (total * (weights[i] ?? 0)) / sum;
              expect(Math.abs(p - exact)).toBeLessThanOrEqual(1.0001 + exact * 1e-12);
            });
          }
        },
      ),
    );
  });

  it('is deterministic', () => {
    expect(prorateFen(7, [3, 3, 3])).toEqual(prorateFen(7, [3, 3, 3]));
  });
});
