import { applyLedgerOps } from '../ledger/ledger.ts';
import {
  planRewardGrants,
  planRewardPost,
  planRewardVoid,
  type RewardGrant,
} from '../ledger/rewards.ts';
import type { PlanOp } from '../ledger/types.ts';
import { lotExpiry } from '../cashback/points-lots.ts';
import { nextBoundary } from '../time/zone.ts';
import type { Sim, SimReward } from './state.ts';

/** Apply ledger ops; a failure here is a bug in the engine, not a scenario problem. */
export function applyOps(sim: Sim, ops: readonly PlanOp[]): void {
  const r = applyLedgerOps(sim.ledger, ops, sim.nowMs);
  if (!r.ok) throw new Error(`internal ledger error: ${r.error.message}`);
}

export const isSettled = (sim: Sim, orderId: string): boolean =>
  sim.orders.get(orderId)?.settled ?? true;

/**
 * Remember a pending reward (its transfer already exists), index it by every order it
 * depends on — settled ones too, as a later refund of any of them still cancels it while
 * it is pending — and post it at once when they have all settled.
 */
export function trackReward(sim: Sim, reward: SimReward): void {
  sim.rewards.set(reward.id, reward);
  for (const orderId of reward.deps) {
    let list = sim.rewardsByOrder.get(orderId);
    if (!list) sim.rewardsByOrder.set(orderId, (list = []));
    list.push(reward);
  }
  if (reward.deps.every((d) => isSettled(sim, d))) postReward(sim, reward);
}

/** Grant rewards from rule output: pending transfers merchant → user, then track. */
export function grantRewards(sim: Sim, grants: readonly RewardGrant[]): void {
  const live = grants.filter((g) => g.amount > 0);
  if (live.length === 0) return;
  applyOps(sim, planRewardGrants(live).ops);
  for (const g of live) {
    trackReward(sim, {
      id: g.id,
      kind: 'other',
      userId: g.userId,
      asset: g.asset,
      amount: g.amount,
      deps: [...new Set(g.dependsOnOrders)],
      state: 'pending',
    });
  }
}

export function postReward(sim: Sim, reward: SimReward): void {
  if (reward.state !== 'pending') return;
  applyOps(sim, planRewardPost(reward.id).ops);
  reward.state = 'posted';
  if (reward.asset === 'points') addLot(sim, reward.userId, reward.amount);
}

/** Void a non-queue pending reward (queue payouts go through planPayoutVoids). */
export function voidReward(sim: Sim, reward: SimReward): void {
  if (reward.state !== 'pending') return;
  applyOps(sim, planRewardVoid(reward.id).ops);
  reward.state = 'voided';
}

/** Points that became available form a lot with its own expiry (oldest spent first). */
export function addLot(
  sim: Sim,
  userId: string,
  points: number,
  expiresAtMs?: number | null,
): void {
  const user = sim.users.get(userId);
  if (!user || points <= 0) return;
  const p = sim.settings.points;
  const yearEnd = p.expireAtYearEnd ? nextBoundary(sim.nowMs, 'yearly', sim.tz) : null;
  const expires =
    expiresAtMs === undefined ? lotExpiry(sim.nowMs, p.expiryDays, yearEnd) : expiresAtMs;
  const lot = { id: `lot${++sim.lotCounter}`, remaining: points, expiresAtMs: expires };
  user.lots.push(lot);
  if (expires !== null) sim.jobs.schedule(expires, { kind: 'expireLot', userId, lotId: lot.id });
}
