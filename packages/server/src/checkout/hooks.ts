import type { Tx } from '../db/tx.ts';
import type { ErrorCode } from '../errors/index.ts';

/**
 * Seams of checkout that modules fill through their `checkout` entry in the module table
 * (app/registry.ts). A seam no module fills keeps its default below: no member discount,
 * no coupon, no activity stock to hold.
 */
export interface CouponQuote {
  couponId: number;
  /** discount on the amount after the member discount */
  discountFen: number;
  /** the coupon applies to these SKUs only (undefined: the whole order) */
  eligibleSkuIds?: number[];
}

export interface CheckoutHooks {
  /**
   * The member discount (percent off the goods price, 0 = none) of a member level under
   * the rules in force at `at` (when the order is placed).
   */
  memberDiscountPct(tx: Tx, level: string | null, at: Date): Promise<number>;
  /**
   * Checks a coupon the buyer chose against the order after member discount. Returns the
   * discount, or an error code. `redeem` is true when the order is being placed: the
   * coupon must then be marked used in `tx` (atomically, so it cannot be used twice) for
   * `orderId`. That id is already the order's, but its row is inserted later in `tx`, once
   * priced: a foreign key to it must be DEFERRABLE INITIALLY DEFERRED.
   */
  applyCoupon(
    tx: Tx,
    input: {
      userId: number;
      couponId: number;
      amountFen: number;
      lines: { skuId: number; amountFen: number }[];
      redeem: boolean;
      orderId?: number;
    },
  ): Promise<{ ok: true; value: CouponQuote } | { ok: false; code: ErrorCode }>;
  /** gives a coupon back when its order is cancelled unpaid */
  releaseCoupon(
    tx: Tx,
    input: { userId: number; couponId: number; orderId: number },
  ): Promise<void>;
  /**
   * Holds the stock of a limited activity (group buy, flash sale…) for the lines of an
   * order being placed, in `tx` and atomically (one guarded statement), or refuses with an
   * error code. Runs after the shop's own stock was taken.
   */
  reserveActivityStock(
    tx: Tx,
    input: { userId: number; orderId: number; lines: { skuId: number; qty: number }[] },
  ): Promise<{ ok: true } | { ok: false; code: ErrorCode }>;
  /** gives held activity stock back when its order is cancelled unpaid */
  releaseActivityStock(tx: Tx, input: { userId: number; orderId: number }): Promise<void>;
}

/** What checkout does when no module fills a seam. */
export const NO_CHECKOUT_HOOKS: Readonly<CheckoutHooks> = Object.freeze<CheckoutHooks>({
  memberDiscountPct: async () => 0,
  applyCoupon: async () => ({ ok: false, code: 'COUPON_NOT_AVAILABLE' }),
  releaseCoupon: async () => {},
  reserveActivityStock: async () => ({ ok: true }),
  releaseActivityStock: async () => {},
});
