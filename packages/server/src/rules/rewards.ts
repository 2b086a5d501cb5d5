import {
  planPayoutVoids,
  planRewardGrants,
  planRewardPost,
  planRewardVoid,
  type QueuePayout,
  type RewardGrant,
} from '@fanli/engine';
import { sql } from 'kysely';
import type { Tx } from '../db/tx.ts';
import type { RewardKind } from '../db/schema-rules.ts';
import { applyPlan } from './plan-apply.ts';

/** Engine user ids are strings; ours are numbers. */
export const uid = (id: string) => Number(id);

interface RewardRecord {
  key: string;
  kind: RewardKind;
  userId: number;
  asset: 'cash' | 'points' | 'voucher';
  amount: number;
  reason: string;
  transferId: number;
  deps: number[];
  sourceOrderId: number | null;
  entryId?: number;
  queueId?: string;
  heldReason?: string | null;
}

/** Tracks rewards with the orders they depend on: one statement for all of them. */
async function recordRewards(tx: Tx, rs: RewardRecord[], at: Date): Promise<void> {
  if (!rs.length) return;
  const rows = rs.map((r) => ({
    key: r.key,
    kind: r.kind,
    user_id: r.userId,
    asset: r.asset,
    amount: r.amount,
    reason: r.reason,
    transfer_id: r.transferId,
    state: 'pending' as const,
    source_order_id: r.sourceOrderId,
    entry_id: r.entryId ?? null,
    queue_id: r.queueId ?? null,
    created_at: at,
    resolved_at: null,
    held_reason: r.heldReason ?? null,
  }));
  const deps = rs.flatMap((r) =>
    [...new Set(r.deps)].map((d) => sql`(${r.key}::text, ${d}::bigint)`),
  );
  if (!deps.length) {
    await tx.insertInto('rewards').values(rows).execute();
    return;
  }
  await tx
    .with('r', (db) => db.insertInto('rewards').values(rows).returning(['id', 'key']))
    .insertInto('reward_deps')
    .columns(['reward_id', 'order_id'])
    .expression(
      sql`select r.id, d.order_id from r join (values ${sql.join(deps)}) as d (key, order_id) on d.key = r.key`,
    )
    .execute();
}

/**
 * Rewards are born pending: merchant → user, tracked with the orders they depend on. With
 * `heldReason` they stay pending until a person releases them (referral anti-abuse).
 */
export async function grantRewards(
  tx: Tx,
  kind: RewardKind,
  grants: RewardGrant[],
  sourceOrderId: number | null,
  at: Date,
  heldReason: string | null = null,
  /** false when every grant depends on an order paid in this very transaction: none can
   * have settled, so the look-up is skipped */
  maySettle = true,
) {
  const live = grants.filter((g) => g.amount > 0);
  if (!live.length) return;
  const ids = await applyPlan(tx, planRewardGrants(live), at);
  await recordRewards(
    tx,
    live.map((g) => ({
      key: g.id,
      kind,
      userId: uid(g.userId),
      asset: g.asset,
      amount: g.amount,
      reason: g.reason,
      transferId: ids.get(g.id)!,
      deps: g.dependsOnOrders.map(Number),
      sourceOrderId,
      heldReason,
    })),
    at,
  );
  if (!maySettle) return;
  await postSettledRewards(
    tx,
    live.map((g) => g.id),
    at,
  );
}

/** Queue payouts were planned and applied: track each as a reward. */
export async function recordPayouts(
  tx: Tx,
  queueId: string,
  /** the contributing order; null for the profit pool, funded by a day's profit */
  contributorOrderId: number | null,
  payouts: QueuePayout[],
  transferIds: Map<string, number>,
  at: Date,
) {
  await recordRewards(
    tx,
    payouts.map((p) => ({
      key: p.transferId,
      kind: 'queue' as const,
      userId: uid(p.userId),
      asset: 'cash' as const,
      amount: p.amountFen,
      reason: 'queue.payout',
      transferId: transferIds.get(p.transferId)!,
      deps:
        contributorOrderId === null
          ? [Number(p.entryOrderId)]
          : [contributorOrderId, Number(p.entryOrderId)],
      sourceOrderId: contributorOrderId,
      entryId: Number(p.entryKey),
      queueId,
    })),
    at,
  );
}

/**
 * Posts (makes available) the given pending rewards whose every order has settled. A
 * reward born after its orders settled (a referral reward) is posted at once.
 */
export async function postSettledRewards(tx: Tx, keys: string[], at: Date) {
  if (!keys.length) return;
  const ready = await tx
    .selectFrom('rewards as r')
    .select(['r.id', 'r.key'])
    .where('r.key', 'in', keys)
    .where('r.state', '=', 'pending')
    .where('r.held_reason', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('reward_deps as d')
            .leftJoin('order_rule_state as s', 's.order_id', 'd.order_id')
            .select('d.order_id')
            .whereRef('d.reward_id', '=', 'r.id')
            .where((eb) => eb.or([eb('s.settled', 'is', null), eb('s.settled', '=', false)])),
        ),
      ),
    )
    .forUpdate()
    .execute();
  for (const r of ready) {
    await applyPlan(tx, planRewardPost(r.key), at);
    await tx
      .updateTable('rewards')
      .set({ state: 'available', resolved_at: at })
      .where('id', '=', r.id)
      .execute();
  }
}

/** Pending rewards that depend on an order. */
export async function pendingRewardsOf(tx: Tx, orderId: number) {
  return tx
    .selectFrom('rewards as r')
    .innerJoin('reward_deps as d', 'd.reward_id', 'r.id')
    .selectAll('r')
    .where('d.order_id', '=', orderId)
    .where('r.state', '=', 'pending')
    .orderBy('r.id')
    .forUpdate()
    .execute();
}

/**
 * Cancels pending rewards (a refund inside the window). Queue payouts go back from their
 * pools to the merchant and their entries lose what they received — entries still in the
 * queue wait again in their old places; the others are returned by voiding alone.
 */
export async function cancelRewards(
  tx: Tx,
  rewards: Awaited<ReturnType<typeof pendingRewardsOf>>,
  reversalId: string,
  orderId: number,
  at: Date,
) {
  const queue = rewards.filter(
    (r) => r.kind === 'queue' && r.entry_id !== null && r.queue_id !== null,
  );
  if (queue.length) {
    const entries = await tx
      .selectFrom('queue_entries')
      .select(['id', 'status'])
      .where(
        'id',
        'in',
        queue.map((r) => r.entry_id!),
      )
      .execute();
    const status = new Map(entries.map((e) => [e.id, e.status]));
    const plan = planPayoutVoids(
      reversalId,
      queue.map((r) => ({
        transferId: r.key,
        entryKey: String(r.entry_id),
        queueId: r.queue_id!,
        amountFen: r.amount,
        reopen: status.get(r.entry_id!) === 'done' || status.get(r.entry_id!) === 'waiting',
      })),
      String(orderId),
    );
    await applyPlan(tx, plan, at);
  }
  for (const r of rewards.filter((x) => x.kind !== 'queue'))
    await applyPlan(tx, planRewardVoid(r.key), at);
  if (rewards.length) {
    await tx
      .updateTable('rewards')
      .set({ state: 'cancelled', resolved_at: at })
      .where(
        'id',
        'in',
        rewards.map((r) => r.id),
      )
      .execute();
  }
}
