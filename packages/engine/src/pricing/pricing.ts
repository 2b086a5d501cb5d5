import { pctOfFen, prorateFen } from '../money/money.ts';
import { memberDiscountFen } from '../members/members.ts';

/**
 * THE price pipeline (docs/commerce.md): line subtotals → member discount → coupon →
 * points deduction → balance deduction → payable. Each step is an order-level amount,
 * prorated to the lines in proportion to what each line still owes (largest remainder),
 * so every line knows its final paid amount and the lines always add up to the order.
 * Pure: no database, no clock. Checkout and the simulator both price orders with it.
 */

export interface PriceLineInput {
  skuId: number;
  unitPriceFen: number;
  qty: number;
}

export interface PricingInput {
  lines: PriceLineInput[];
  /** member discount, percent off the goods price (0 = none) */
  memberDiscountPct: number;
  /** coupon discount on the amount after the member discount */
  coupon: { discountFen: number; eligibleSkuIds?: number[] } | null;
  points: {
    enabled: boolean;
    /** what one point is worth, from the rules in force (`points.fenPerPoint`) */
    fenPerPoint: number;
    maxSharePct: number;
    /** the buyer's available points */
    available: number;
    /** at most this many points (undefined: as many as allowed) */
    maxPoints?: number | undefined;
  } | null;
  balance: {
    /** the buyer's available cash balance (fen) */
    availableFen: number;
    /** at most this much (undefined: as much as needed) */
    maxFen?: number | undefined;
  } | null;
}

export interface PricedLine {
  skuId: number;
  unitPriceFen: number;
  qty: number;
  subtotalFen: number;
  memberDiscountFen: number;
  couponFen: number;
  pointsFen: number;
  points: number;
  balanceFen: number;
  /** what the payment provider takes for this line */
  paidFen: number;
}

export interface PricedOrder {
  lines: PricedLine[];
  itemsFen: number;
  memberDiscountFen: number;
  couponFen: number;
  pointsFen: number;
  pointsUsed: number;
  balanceFen: number;
  payableFen: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Splits `amountFen` (≤ what the weighted lines owe) over the lines owing `remaining`. */
function split(amountFen: number, remaining: number[], eligible?: boolean[]): number[] {
  const weights = remaining.map((r, i) => (eligible && !eligible[i] ? 0 : r));
  if (amountFen === 0) return weights.map(() => 0);
  return prorateFen(amountFen, weights);
}

/**
 * Prices an order.
 *
 * @example
 * priceOrder({ lines: [{ skuId: 1, unitPriceFen: 10000, qty: 1 }, { skuId: 2, unitPriceFen: 6800, qty: 1 }],
 *   memberDiscountPct: 0, coupon: null,
 *   points: { enabled: true, fenPerPoint: 100, maxSharePct: 10, available: 5000 },
 *   balance: { availableFen: 1000 } })
 * // items 16800 → 16 points × 100 = 1600 fen (10 % is 1680) → balance 1000 → payable 14200
 */
export function priceOrder(input: PricingInput): PricedOrder {
  const lines = input.lines;
  for (const l of lines) {
    if (!Number.isSafeInteger(l.unitPriceFen) || l.unitPriceFen < 0)
      throw new RangeError(`invalid price ${l.unitPriceFen}`);
    if (!Number.isSafeInteger(l.qty) || l.qty <= 0) throw new RangeError(`invalid qty ${l.qty}`);
  }
  const subtotal = lines.map((l) => l.unitPriceFen * l.qty);
  const itemsFen = sum(subtotal);
  let remaining = [...subtotal];
  const owed = () => sum(remaining);
  const take = (parts: number[]) => {
    remaining = remaining.map((r, i) => r - parts[i]!);
  };

  // 1. member discount, rounded down (the merchant keeps the remainder)
  const memberTotal = memberDiscountFen(itemsFen, Math.min(100, input.memberDiscountPct));
  const member = split(memberTotal, remaining);
  take(member);

  // 2. coupon (only on the lines it applies to)
  const eligible = input.coupon?.eligibleSkuIds
    ? lines.map((l) => input.coupon!.eligibleSkuIds!.includes(l.skuId))
    : undefined;
  const couponCap = sum(remaining.filter((_, i) => !eligible || eligible[i]));
  const couponTotal = Math.min(Math.max(0, input.coupon?.discountFen ?? 0), couponCap);
  const coupon = split(couponTotal, remaining, eligible);
  take(coupon);

  // 3. points: whole points, each worth fenPerPoint, at most maxSharePct of what is left
  // and at most what the buyer holds; the deduction is exactly points × fenPerPoint (a
  // share smaller than one point's worth takes no point)
  let pointsFen = 0;
  let pointsUsed = 0;
  const p = input.points;
  if (p && p.enabled && p.available > 0) {
    if (!Number.isSafeInteger(p.fenPerPoint) || p.fenPerPoint < 1)
      throw new RangeError(`invalid fenPerPoint ${p.fenPerPoint}`);
    const usable = Math.max(0, Math.min(p.available, p.maxPoints ?? p.available));
    const byShare = Math.floor(pctOfFen(owed(), p.maxSharePct) / p.fenPerPoint);
    pointsUsed = Math.min(usable, byShare);
    pointsFen = pointsUsed * p.fenPerPoint;
  }
  const pointsFenLines = split(pointsFen, remaining);
  const pointsLines =
    pointsUsed === 0 ? pointsFenLines.map(() => 0) : prorateFen(pointsUsed, pointsFenLines);
  take(pointsFenLines);

  // 4. balance
  const b = input.balance;
  const balanceFen = b
    ? Math.max(0, Math.min(b.availableFen, b.maxFen ?? Number.MAX_SAFE_INTEGER, owed()))
    : 0;
  const balance = split(balanceFen, remaining);
  take(balance);

  const priced = lines.map((l, i) => ({
    skuId: l.skuId,
    unitPriceFen: l.unitPriceFen,
    qty: l.qty,
    subtotalFen: subtotal[i]!,
    memberDiscountFen: member[i]!,
    couponFen: coupon[i]!,
    pointsFen: pointsFenLines[i]!,
    points: pointsLines[i]!,
    balanceFen: balance[i]!,
    paidFen: remaining[i]!,
  }));
  return {
    lines: priced,
    itemsFen,
    memberDiscountFen: memberTotal,
    couponFen: couponTotal,
    pointsFen,
    pointsUsed,
    balanceFen,
    payableFen: owed(),
  };
}

/**
 * The share of a line amount that `units` more units take when `done` units were already
 * refunded: cumulative shares ⌊total × k / qty⌋ differ by step, so successive partial
 * refunds of one line always add up to exactly the line amount.
 *
 * @example shareOfUnits(1000, 3, 0, 1) // 333
 * @example shareOfUnits(1000, 3, 1, 2) // 667 (333 + 667 = 1000)
 */
export function shareOfUnits(totalFen: number, qty: number, done: number, units: number): number {
  const cumulative = (k: number) => (k >= qty ? totalFen : Math.floor((totalFen * k) / qty));
  return cumulative(done + units) - cumulative(done);
}
