import { pctOfFen } from '../money/money.ts';
import type { RewardGrant } from '../ledger/rewards.ts';
import type { CommissionSettings } from '../settings/types.ts';

export interface CommissionInput {
  orderId: string;
  paidFen: number;
  buyerId: string;
  /** The buyer's referrer and that referrer's referrer (null when absent). */
  level1: string | null;
  level2: string | null;
  /**
   * The level-1 referrer's member-level commission pct (members.levels[].commissionPct);
   * when set it replaces `level1Pct`.
   */
  level1LevelPct?: number | null;
  /** Store of the order, the user who brought it and the platform's commission pct on it. */
  store?: { id: string; recruiterId: string | null; platformCommissionPct: number } | null;
}

/**
 * Distribution commission (分销): level 1 = the buyer's referrer, level 2 (only
 * with depth 2) = the referrer's referrer; plus the store-recruiting share of the
 * platform's commission on a store order. Each is pending on the buyer's order only.
 * A referrer whose member level sets a commission pct earns that instead of level1Pct.
 * There is no level 3: depth is 1 or 2 by type.
 *
 * @example
 * commissionGrants({ orderId: 'o1', paidFen: 10000, buyerId: 'B', level1: 'A', level2: null },
 *   { enabled: true, depth: 1, level1Pct: 10, level2Pct: 0, storeRecruitPct: 0 })
 * // [{ id: 'com1:o1', userId: 'A', asset: 'cash', amount: 1000, reason: 'commission.level1', ... }]
 */
export function commissionGrants(
  input: CommissionInput,
  settings: CommissionSettings,
): RewardGrant[] {
  if (!settings.enabled) return [];
  const grants: RewardGrant[] = [];
  const source = { type: 'order', id: input.orderId };
  const deps = [input.orderId];
  if (input.level1 && input.level1 !== input.buyerId) {
    grants.push({
      id: `com1:${input.orderId}`,
      userId: input.level1,
      asset: 'cash',
      amount: pctOfFen(input.paidFen, input.level1LevelPct ?? settings.level1Pct),
      reason: 'commission.level1',
      source,
      dependsOnOrders: deps,
    });
    if (settings.depth === 2 && input.level2 && input.level2 !== input.buyerId) {
      grants.push({
        id: `com2:${input.orderId}`,
        userId: input.level2,
        asset: 'cash',
        amount: pctOfFen(input.paidFen, settings.level2Pct),
        reason: 'commission.level2',
        source,
        dependsOnOrders: deps,
      });
    }
  }
  const store = input.store;
  if (store && store.recruiterId && settings.storeRecruitPct > 0) {
    const platformFen = pctOfFen(input.paidFen, store.platformCommissionPct);
    grants.push({
      id: `comS:${input.orderId}`,
      userId: store.recruiterId,
      asset: 'cash',
      amount: pctOfFen(platformFen, settings.storeRecruitPct),
      reason: 'commission.store_recruit',
      source,
      dependsOnOrders: deps,
    });
  }
  return grants.filter((g) => g.amount > 0);
}
