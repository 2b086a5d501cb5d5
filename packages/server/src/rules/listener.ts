import { sql } from 'kysely';
import {
  cashbackGrants,
  commissionGrants,
  firstQualifyingOwnOrder,
  levelBenefits,
  onFriendOrderSettled,
  planOrderQueues,
  spendTierDays,
  type OwnOrder,
  type ReferrerProgress,
  type Settings,
} from '@fanli/engine';
import type { Tx } from '../db/tx.ts';
import type { OrderListener } from '../orders/events.ts';
import { rulesInForce, versionAtSql, versionOfRow, type VersionRow } from './versions.ts';
import { cancelRewards, grantRewards, pendingRewardsOf, postSettledRewards } from './rewards.ts';
import { contribute, joinQueue, lockQueuesAndDraw } from './queues.ts';
import { referralRingSignal } from './abuse.ts';
import { accrueGrowth } from './members.ts';
import { SHOP_TIMEZONE } from '../config/timezone.ts';

/** An order is judged by the rules in force when it was placed. */
export async function rulesForOrder(
  tx: Tx,
  orderId: number,
  known?: OrderRow,
): Promise<{ settings: Settings; order: OrderRow }> {
  const order =
    known ??
    (await tx
      .selectFrom('orders')
      .select([
        'id',
        'user_id',
        'store_id',
        'created_at',
        'payable_fen',
        'points_used',
        'state',
        'completed_at',
        'cashier_id',
        'member_level',
      ])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow());
  const v = await rulesInForce(tx, new Date(order.created_at));
  return { settings: v.settings, order };
}
type OrderRow = {
  id: number;
  user_id: number;
  store_id: number | null;
  created_at: Date | string;
  payable_fen: number;
  points_used: number;
  state: string;
  completed_at: Date | string | null;
  cashier_id: number | null;
  /** the buyer's member level when the order was placed */
  member_level: string | null;
};

async function spendLookup(
  tx: Tx,
  settings: Settings,
  userId: number,
  placedAt: Date,
): Promise<(days: number) => number> {
  const spend = new Map<number, number>();
  for (const days of spendTierDays(settings)) {
    const row = await tx
      .selectFrom('orders')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('payable_fen'), sql<number>`0`).as('fen'))
      .where('user_id', '=', userId)
      .where('state', '=', 'completed')
      .where('refund_status', '=', 'none')
      .where('paid_at', '>=', new Date(placedAt.getTime() - days * 86_400_000))
      .where('paid_at', '<=', placedAt)
      .executeTakeFirstOrThrow();
    spend.set(days, Number(row.fen));
  }
  return (days) => spend.get(days) ?? 0;
}

/**
 * What a payment's rules need to know first, in one statement: the rules in force when
 * the order was placed, the buyer's referrer (with their member level now) and that
 * referrer's referrer.
 */
async function paidContext(tx: Tx, userId: number, placedAt: Date) {
  const row = (
    await sql<{
      referrer_id: number | null;
      level2: number | null;
      member_level: string | null;
      version: VersionRow | null;
    }>`
      select u.referrer_id, r.referrer_id as level2, r.member_level,
             (select row_to_json(v) from (${versionAtSql(tx, placedAt)}) v) as version
        from users u left join users r on r.id = u.referrer_id
       where u.id = ${userId}`.execute(tx)
  ).rows[0];
  if (!row) throw new Error(`buyer ${userId} not found`);
  const version = await versionOfRow(
    tx,
    row.version && { ...row.version, id: Number(row.version.id) },
  );
  const referrers: [number | null, number | null, string | null] = row.referrer_id
    ? [row.referrer_id, row.level2, row.member_level]
    : [null, null, null];
  return { settings: version.settings, referrers };
}

/**
 * The rule engine's side of the order lifecycle. Each handler runs inside the
 * transaction that changes the order, so rewards and queue changes commit with it.
 */
export const rulesListener: OrderListener = {
  name: 'rules',

  async onPaid(tx, e) {
    const order = e.order;
    const placedAt = new Date(order.created_at);
    const {
      settings,
      referrers: [level1, level2, level1Member],
    } = await paidContext(tx, e.userId, placedAt);
    const paidFen = e.payableFen;
    const id = String(e.orderId);
    const q = settings.queueRebate;
    const lines = e.lines;
    const groups = planOrderQueues(
      settings,
      {
        orderId: id,
        store: order.store_id === null ? null : String(order.store_id),
        // an in-store payment: one amount, the cashier's (or all cashiers') queue
        cashier: order.cashier_id === null ? null : String(order.cashier_id),
        amountOnly: order.cashier_id !== null,
        paidFen,
        pointsUsed: order.points_used,
        placedAtMs: placedAt.getTime(),
        // the buyer's level when the order was placed (members.md)
        level: order.member_level,
        lines: lines.map((l) => ({ product: String(l.product_id), paidFen: l.paid_fen })),
      },
      { tz: SHOP_TIMEZONE, spendFen: await spendLookup(tx, settings, e.userId, placedAt) },
    );
    // The queues' locks (in a fixed order) come before the pay sequence is drawn, so the
    // sequence of payments into a queue is the order in which they are processed.
    const seq = await lockQueuesAndDraw(
      tx,
      [...new Set(groups.map((g) => g.queueId))].sort(),
      e.orderId,
    );
    const store =
      order.store_id === null
        ? undefined
        : await tx
            .selectFrom('stores')
            .select(['id', 'recruiter_id', 'platform_commission_pct_h'])
            .where('id', '=', order.store_id)
            .executeTakeFirst();
    await grantRewards(
      tx,
      'commission',
      commissionGrants(
        {
          orderId: id,
          paidFen,
          buyerId: String(e.userId),
          level1: level1 ? String(level1) : null,
          level2: level2 ? String(level2) : null,
          // the referrer's level now, when the commission is born (members.md)
          level1LevelPct: levelBenefits(settings.members, level1Member).commissionPct,
          store: store
            ? {
                id: String(store.id),
                recruiterId: store.recruiter_id === null ? null : String(store.recruiter_id),
                platformCommissionPct: store.platform_commission_pct_h / 100,
              }
            : null,
        },
        settings.commission,
      ),
      e.orderId,
      e.at,
      null,
      false, // born with this payment: its order cannot have settled
    );
    await grantRewards(
      tx,
      'cashback',
      cashbackGrants(
        {
          orderId: id,
          userId: String(e.userId),
          paidFen,
          pointsMultiplier: levelBenefits(settings.members, order.member_level).pointsMultiplier,
        },
        settings.cashback,
      ),
      e.orderId,
      e.at,
      null,
      false, // born with this payment: its order cannot have settled
    );

    for (const g of groups) {
      if (g.entry) {
        await joinQueue(
          tx,
          settings,
          {
            queueId: g.queueId,
            orderId: e.orderId,
            userId: e.userId,
            seq,
            placedAt,
            completed: false,
            tz: SHOP_TIMEZONE,
            draft: g.entry,
          },
          e.at,
        );
      }
      if (q.pool || g.contributionFen <= 0) continue;
      const c = {
        queueId: g.queueId,
        contributionId: g.contributionId,
        orderId: e.orderId,
        amountFen: g.contributionFen,
        seq,
      };
      if (q.settleOn === 'paid') await contribute(tx, settings, c, e.at);
      else {
        await tx
          .insertInto('queue_contributions')
          .values({
            order_id: e.orderId,
            contribution_id: g.contributionId,
            queue_id: g.queueId,
            amount_fen: g.contributionFen,
            seq,
            status: 'waiting',
          })
          .onConflict((oc) => oc.columns(['order_id', 'contribution_id']).doNothing())
          .execute();
      }
    }
  },

  async onCompleted(tx, e) {
    await tx
      .updateTable('queue_entries')
      .set({ own_completed: true })
      .where('order_id', '=', e.orderId)
      .execute();
    const waiting = await tx
      .selectFrom('queue_contributions')
      .selectAll()
      .where('order_id', '=', e.orderId)
      .where('status', '=', 'waiting')
      .orderBy('contribution_id')
      .execute();
    if (!waiting.length) return;
    const { settings } = await rulesForOrder(tx, e.orderId);
    for (const c of waiting) {
      await contribute(
        tx,
        settings,
        {
          queueId: c.queue_id,
          contributionId: c.contribution_id,
          orderId: c.order_id,
          amountFen: c.amount_fen,
          seq: c.seq,
        },
        e.completedAt,
      );
      await tx
        .updateTable('queue_contributions')
        .set({ status: 'done' })
        .where('order_id', '=', c.order_id)
        .where('contribution_id', '=', c.contribution_id)
        .execute();
    }
  },

  async onRefunded(tx, e) {
    // The order's entries leave the queue; contributions not yet made are dropped; every
    // reward still pending that depends on the order is cancelled, whenever the refund
    // comes: what decides is the reward's state, not the order's window. An available
    // reward is never taken back.
    await tx
      .updateTable('order_rule_state')
      .set({ refunded: true })
      .where('order_id', '=', e.orderId)
      .execute();
    await tx
      .updateTable('queue_entries')
      .set({ status: 'cancelled' })
      .where('order_id', '=', e.orderId)
      .where('status', '<>', 'cancelled')
      .execute();
    await tx
      .updateTable('queue_contributions')
      .set({ status: 'cancelled' })
      .where('order_id', '=', e.orderId)
      .where('status', '=', 'waiting')
      .execute();
    const pending = await pendingRewardsOf(tx, e.orderId);
    await cancelRewards(tx, pending, `refund:${e.orderId}:${e.afterSaleId}`, e.orderId, e.at);
  },

  async onSettled(tx, e) {
    const state = await tx
      .updateTable('order_rule_state')
      .set({ settled: true })
      .where('order_id', '=', e.orderId)
      .where('settled', '=', false)
      .where('refunded', '=', false)
      .returning('order_id')
      .executeTakeFirst();
    if (!state) return;
    const pending = await pendingRewardsOf(tx, e.orderId);
    await postSettledRewards(
      tx,
      pending.map((r) => r.key),
      e.at,
    );
    // growth value: only a settled order earns it, so buying to level up and refunding cannot
    const { settings, order } = await rulesForOrder(tx, e.orderId);
    await accrueGrowth(
      tx,
      { userId: e.userId, paidFen: order.payable_fen, orderSettings: settings },
      e.at,
    );
    await countReferral(tx, e.orderId, e.userId, e.at);
  },
};

/** Own orders read per round trip while looking for the referrer's qualifying one. */
const OWN_ORDER_PAGE = 100;

/**
 * The referrer's own order a `pctOfOwnOrder` reward is a share of: their paid, not
 * refunded orders, oldest first, judged by the engine's `firstQualifyingOwnOrder` a page at
 * a time (the first one usually qualifies).
 */
async function referrerOwnOrder(
  tx: Tx,
  referrerId: number,
  r: Settings['referral'],
): Promise<OwnOrder | null> {
  let afterId = 0;
  for (;;) {
    const orders = await tx
      .selectFrom('orders')
      .select(['id', 'payable_fen'])
      .where('user_id', '=', referrerId)
      .where('state', 'in', ['paid', 'shipped', 'completed'])
      .where('refund_status', '=', 'none')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(OWN_ORDER_PAGE)
      .execute();
    if (orders.length === 0) return null;
    const lines = await tx
      .selectFrom('order_lines')
      .select(['order_id', 'product_id'])
      .where(
        'order_id',
        'in',
        orders.map((o) => o.id),
      )
      .execute();
    const own = firstQualifyingOwnOrder(
      orders.map((o) => ({
        orderId: String(o.id),
        paidFen: o.payable_fen,
        productIds: lines.filter((l) => l.order_id === o.id).map((l) => String(l.product_id)),
      })),
      r,
    );
    if (own || orders.length < OWN_ORDER_PAGE) return own;
    afterId = orders[orders.length - 1]!.id;
  }
}

/**
 * 推 N 返 M: a friend's order has passed its window. The referrer's progress (one row,
 * locked) and the merchant's budget (one row, locked) move together.
 */
async function countReferral(tx: Tx, orderId: number, friendId: number, at: Date) {
  const { settings, order } = await rulesForOrder(tx, orderId);
  if (!settings.referral.enabled) return;
  const friend = await tx
    .selectFrom('users')
    .select(['referrer_id', 'referred_at', 'created_at'])
    .where('id', '=', friendId)
    .executeTakeFirstOrThrow();
  if (!friend.referrer_id) return;
  const referrerId = friend.referrer_id;
  await tx
    .insertInto('referral_progress')
    .values({
      referrer_id: referrerId,
      progress: JSON.stringify({
        referrerId: String(referrerId),
        countedFriends: [],
        group: [],
        rewardsEarned: 0,
      }),
    })
    .onConflict((oc) => oc.column('referrer_id').doNothing())
    .execute();
  const row = await tx
    .selectFrom('referral_progress')
    .select('progress')
    .where('referrer_id', '=', referrerId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const budgetRow = await tx
    .selectFrom('referral_budget')
    .select('spent_fen')
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const progress = row.progress as ReferrerProgress;
  const budget = { spentFen: budgetRow.spent_fen };
  const spentBefore = budget.spentFen;
  const lines = await tx
    .selectFrom('order_lines')
    .select('product_id')
    .where('order_id', '=', orderId)
    .execute();
  const own = await referrerOwnOrder(tx, referrerId, settings.referral);
  const { counted, grant } = onFriendOrderSettled(
    progress,
    {
      orderId: String(orderId),
      friendId: String(friendId),
      friendRegisteredAtMs: new Date(friend.referred_at ?? friend.created_at).getTime(),
      placedAtMs: new Date(order.created_at).getTime(),
      paidFen: order.payable_fen,
      productIds: lines.map((l) => String(l.product_id)),
    },
    own,
    settings,
    budget,
  );
  if (!counted) return;
  await tx
    .updateTable('referral_progress')
    .set({ progress: JSON.stringify(progress) })
    .where('referrer_id', '=', referrerId)
    .execute();
  await tx
    .updateTable('referral_budget')
    .set({ spent_fen: budget.spentFen })
    .where('id', '=', 1)
    .execute();
  if (!grant) return;
  // anti-abuse: a referrer who shares a phone, an address or a device with the friends
  // who earned the reward is held for review, not paid automatically (rules/abuse.ts)
  const friendIds = (
    await tx
      .selectFrom('orders')
      .select('user_id')
      .where('id', 'in', [orderId, ...grant.dependsOnOrders.map(Number)])
      .execute()
  ).map((o) => o.user_id);
  const held = await referralRingSignal(tx, referrerId, [...new Set([friendId, ...friendIds])]);
  await grantRewards(tx, 'referral', [grant], null, at, held);
  // remembered on the reward, so rejecting it in review gives the budget back
  if (budget.spentFen > spentBefore)
    await tx
      .updateTable('rewards')
      .set({ budget_fen: budget.spentFen - spentBefore })
      .where('key', '=', grant.id)
      .execute();
}
