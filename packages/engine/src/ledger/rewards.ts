import type { AccountKey, Asset, Plan, ReasonCode, SourceRef } from './types.ts';

/**
 * A reward a rule wants to give: born pending (冻结) from the merchant (or a queue pool)
 * to the user, available once every order in `dependsOnOrders` has passed its
 * after-sale window, cancelled if one of them is refunded before that (docs/models/ledger-and-money.md).
 */
export interface RewardGrant {
  /** Deterministic id of the pending transfer. */
  id: string;
  userId: string;
  asset: Exclude<Asset, 'entitlement'>;
  amount: number;
  reason: ReasonCode;
  source: SourceRef;
  dependsOnOrders: string[];
}

export const MERCHANT = (asset: Asset): AccountKey => ({
  ownerType: 'merchant',
  ownerId: 'main',
  asset,
});
export const USER = (userId: string, asset: Asset): AccountKey => ({
  ownerType: 'user',
  ownerId: userId,
  asset,
});

/**
 * Pending transfers merchant → user for each grant with a positive amount.
 *
 * @example planRewardGrants([{ id: 'c1', userId: 'A', asset: 'cash', amount: 1000,
 *   reason: 'commission.level1', source: { type: 'order', id: 'o2' }, dependsOnOrders: ['o2'] }]).ops.length // 1
 */
export function planRewardGrants(grants: readonly RewardGrant[]): Plan {
  return {
    ops: grants
      .filter((g) => g.amount > 0)
      .map((g) => ({
        op: 'transfer' as const,
        id: g.id,
        debit: MERCHANT(g.asset),
        credit: USER(g.userId, g.asset),
        amount: g.amount,
        reason: g.reason,
        source: g.source,
        pending: true,
      })),
  };
}

/**
 * A pending reward becomes available.
 *
 * @example planRewardPost('c1') // { ops: [{ op: 'post', id: 'post:c1', pendingId: 'c1' }] }
 */
export function planRewardPost(pendingId: string): Plan {
  return { ops: [{ op: 'post', id: `post:${pendingId}`, pendingId }] };
}

/**
 * A pending reward is cancelled (refund inside the window).
 *
 * @example planRewardVoid('c1') // { ops: [{ op: 'void', id: 'void:c1', pendingId: 'c1' }] }
 */
export function planRewardVoid(pendingId: string): Plan {
  return { ops: [{ op: 'void', id: `void:${pendingId}`, pendingId }] };
}

/**
 * Is a reward available? Only when every order it depends on has settled.
 *
 * @example rewardIsSettled(['o1', 'o2'], (id) => id === 'o1') // false
 */
export function rewardIsSettled(
  dependsOnOrders: readonly string[],
  isOrderSettled: (orderId: string) => boolean,
): boolean {
  return dependsOnOrders.every(isOrderSettled);
}
