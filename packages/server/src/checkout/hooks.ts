import type { Tx } from '../db/tx.ts';
import type { ErrorCode } from '../errors/index.ts';

/**
 * Seams of the price pipeline for capabilities that do not exist yet. The member and
 * coupon modules replace these functions at start-up (`checkoutHooks.memberDiscountPct = …`);
 * until then there is no member discount and no coupon.
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
}

export const checkoutHooks: CheckoutHooks = {
  memberDiscountPct: async () => 0,
  applyCoupon: async () => ({ ok: false, code: 'COUPON_NOT_AVAILABLE' }),
  releaseCoupon: async () => {},
};
