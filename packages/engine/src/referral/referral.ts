import { pctOfFen, unitsPerYuanOfFen } from '../money/money.ts';
import type { RewardGrant } from '../ledger/rewards.ts';
import type { Settings } from '../settings/types.ts';

/** A referrer's progress, kept by the caller between calls. */
export interface ReferrerProgress {
  referrerId: string;
  /** Friends already counted (each friend counts once). */
  countedFriends: string[];
  /** Counted friends' orders not yet turned into a reward (the current group). */
  group: { friendId: string; orderId: string; paidFen: number }[];
  rewardsEarned: number;
}

/** The merchant's referral budget used so far (fen value of every referral reward granted). */
export interface ReferralBudget {
  spentFen: number;
}

export interface FriendOrder {
  orderId: string;
  friendId: string;
  friendRegisteredAtMs: number;
  placedAtMs: number;
  paidFen: number;
  productIds: string[];
}

/** A paid, not refunded order of the referrer, as the referral rules see it. */
export interface OwnOrder {
  orderId: string;
  paidFen: number;
  productIds: string[];
}

/** Paid ≥ minOrderFen and contains the product if one is set: what any counted order needs. */
function meetsOrderTerms(
  order: { paidFen: number; productIds: readonly string[] },
  r: Settings['referral'],
): boolean {
  return (
    order.paidFen >= r.minOrderFen &&
    (r.productId === null || order.productIds.includes(r.productId))
  );
}

/**
 * Does a friend's order qualify (docs/models/referral.md)? Paid ≥ minOrderFen, contains
 * the product if one is set, placed within `withinDays` of binding if set.
 *
 * @example orderQualifies({ orderId: 'o', friendId: 'B', friendRegisteredAtMs: 0, placedAtMs: 0, paidFen: 100, productIds: [] }, defaultSettings().referral) // true
 */
export function orderQualifies(order: FriendOrder, r: Settings['referral']): boolean {
  if (!meetsOrderTerms(order, r)) return false;
  if (
    r.withinDays !== null &&
    order.placedAtMs - order.friendRegisteredAtMs > r.withinDays * 86_400_000
  )
    return false;
  return true;
}

/**
 * The referrer's own order a `pctOfOwnOrder` reward (返一) is a share of: the first of
 * `orders` (the referrer's paid, not refunded orders, oldest first) that paid at least
 * minOrderFen and contains the product if one is set. `withinDays` is about friends and
 * does not apply. Null when none qualifies.
 *
 * @example
 * const r = { ...defaultSettings().referral, minOrderFen: 10000 };
 * firstQualifyingOwnOrder([{ orderId: 'a1', paidFen: 5000, productIds: [] }, { orderId: 'a2', paidFen: 12000, productIds: [] }], r)?.orderId // 'a2'
 */
export function firstQualifyingOwnOrder(
  orders: Iterable<OwnOrder>,
  r: Settings['referral'],
): OwnOrder | null {
  for (const o of orders) if (meetsOrderTerms(o, r)) return o;
  return null;
}

/**
 * A friend's order just passed its after-sale window. Count the friend (once) and, every
 * `everyN` counted friends (or only the first time when `repeat` is false), grant the
 * reward: fixed, a pct of the referrer's own first qualifying order (100 % = 返一) or of
 * the group's paid amounts — never more than those friends paid and never beyond the
 * remaining merchant-wide budget (`budgetFen`, shared by all referrers). Mutates
 * `progress` and `budget`.
 *
 * @example
 * // third friend of A settles with everyN 3, fixedFen 5000 → one 50.00 cash grant
 * onFriendOrderSettled(progress, order, ownOrder, settings, { spentFen: 0 }).grant?.amount // 5000
 */
export function onFriendOrderSettled(
  progress: ReferrerProgress,
  order: FriendOrder,
  ownOrder: { orderId: string; paidFen: number } | null,
  settings: Settings,
  budget: ReferralBudget,
): { counted: boolean; grant: RewardGrant | null } {
  const r = settings.referral;
  if (!r.enabled || progress.countedFriends.includes(order.friendId) || !orderQualifies(order, r)) {
    return { counted: false, grant: null };
  }
  progress.countedFriends.push(order.friendId);
  progress.group.push({ friendId: order.friendId, orderId: order.orderId, paidFen: order.paidFen });
  if (progress.group.length < r.everyN) return { counted: true, grant: null };
  const group = progress.group;
  progress.group = [];
  if (!r.repeat && progress.rewardsEarned > 0) return { counted: true, grant: null };
  progress.rewardsEarned += 1;

  const friendsPaidFen = group.reduce((s, g) => s + g.paidFen, 0);
  const deps = group.map((g) => g.orderId);
  const reward = r.reward;
  const fenPerPoint = settings.points.fenPerPoint;
  // Value in fen first (points rewards are valued at fenPerPoint for the caps).
  let valueFen: number;
  if (reward.fixedFen !== undefined) valueFen = reward.fixedFen;
  else if (reward.points !== undefined) valueFen = reward.points * fenPerPoint;
  else if (reward.pctOfFriendsPaid !== undefined)
    valueFen = pctOfFen(friendsPaidFen, reward.pctOfFriendsPaid);
  else if (reward.pctOfOwnOrder !== undefined && ownOrder) {
    valueFen = pctOfFen(ownOrder.paidFen, reward.pctOfOwnOrder);
    deps.push(ownOrder.orderId);
  } else valueFen = 0;

  // Funded only by those friends' orders; capped by the merchant's budget.
  valueFen = Math.min(valueFen, friendsPaidFen);
  if (r.budgetFen !== null)
    valueFen = Math.max(0, Math.min(valueFen, r.budgetFen - budget.spentFen));

  let asset: RewardGrant['asset'] = 'cash';
  let amount = valueFen;
  if (reward.form === 'points') {
    asset = 'points';
    amount =
      reward.points !== undefined && valueFen === reward.points * fenPerPoint
        ? reward.points
        : Math.floor(valueFen / fenPerPoint);
    valueFen = amount * fenPerPoint;
  } else if (reward.form === 'coupon') {
    asset = 'voucher';
    amount = unitsPerYuanOfFen(valueFen, settings.queueRebate.exchangeRate.voucherPerYuan);
  }
  if (amount <= 0) return { counted: true, grant: null };
  budget.spentFen += valueFen;
  return {
    counted: true,
    grant: {
      id: `ref:${progress.referrerId}:${progress.rewardsEarned}`,
      userId: progress.referrerId,
      asset,
      amount,
      reason: 'referral.reward',
      source: { type: 'referral', id: `${progress.referrerId}#${progress.rewardsEarned}` },
      dependsOnOrders: deps,
    },
  };
}
