import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import {
  localDayKey,
  unitsPerYuanOfFen,
  pick,
  planQueueContribution,
  randomReturnSlots,
  type Candidate,
  type EntryDraft,
  type Rng,
  type Settings,
} from '@fanli/engine';
import type { Tx } from '../db/tx.ts';
import { applyPlan } from './plan-apply.ts';
import { grantRewards, recordPayouts } from './rewards.ts';

/** Server-side randomness for the lottery and random return: not replayable, not guessable. */
export const cryptoRng: Rng = {
  next: () => randomInt(0, 2 ** 32) / 2 ** 32,
  int: (n: number) => randomInt(0, n),
};

/**
 * Serializes all work on one queue across every server process: payouts must follow
 * queue order, so two contributions to one queue never interleave. The lock ends with
 * the transaction.
 */
const lockedQueues = new WeakMap<Tx, Set<string>>();
const lockKey = (queueId: string) => `fanli.queue:${queueId}`;

export async function lockQueue(tx: Tx, queueId: string) {
  // held until the transaction ends: taking it again in the same transaction is a no-op
  const held = lockedQueues.get(tx) ?? new Set<string>();
  if (held.has(queueId)) return;
  await sql`select pg_advisory_xact_lock(hashtext(${lockKey(queueId)}))`.execute(tx);
  held.add(queueId);
  lockedQueues.set(tx, held);
}

/**
 * Takes the locks of several queues, in the order given, and then draws the order's pay
 * sequence, in one statement: the materialized lock list is complete before the insert's
 * aggregate lets its row through. An order that drew before (a replay) draws anew
 * without storing it, as the sequence only orders payments.
 */
export async function lockQueuesAndDraw(
  tx: Tx,
  queueIds: string[],
  orderId: number,
): Promise<number> {
  const held = lockedQueues.get(tx) ?? new Set<string>();
  const fresh = queueIds.filter((q) => !held.has(q));
  const drawn = await sql<{ pay_seq: string | number }>`
    with l as materialized (
      select pg_advisory_xact_lock(hashtext(k)) is null as taken
        from unnest(${fresh.map(lockKey)}::text[]) with ordinality as u(k, n) order by n)
    insert into order_rule_state (order_id, pay_seq)
    select ${orderId}, nextval('queue_pay_seq') from (select count(*) as n from l) c
    on conflict (order_id) do nothing
    returning pay_seq`.execute(tx);
  for (const q of fresh) held.add(q);
  lockedQueues.set(tx, held);
  const seq =
    drawn.rows[0]?.pay_seq ??
    (await sql<{ n: string }>`select nextval('queue_pay_seq') as n`.execute(tx)).rows[0]!.n;
  return Number(seq);
}

const BATCH = 64;

/**
 * The entries a contribution may pay, in payout order, read in small batches until their
 * needs cover the amount: the work is the entries touched, not the queue's length.
 */
export async function candidatesFor(
  tx: Tx,
  queueId: string,
  beforeSeq: number,
  amountFen: number,
  completedFirst: boolean,
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  let covered = 0;
  for (let offset = 0; covered < amountFen; offset += BATCH) {
    let q = tx
      .selectFrom('queue_entries')
      .select(['id', 'user_id', 'order_id', 'entitlement_fen', 'received_fen'])
      .where('queue_id', '=', queueId)
      .where('status', '=', 'waiting')
      .where('seq', '<', beforeSeq);
    if (completedFirst) q = q.orderBy('own_completed', 'desc');
    const rows = await q.orderBy('seq').orderBy('id').limit(BATCH).offset(offset).execute();
    for (const r of rows) {
      const needFen = r.entitlement_fen - r.received_fen;
      if (needFen <= 0) continue;
      out.push({
        entryKey: String(r.id),
        userId: String(r.user_id),
        orderId: String(r.order_id),
        needFen,
      });
      covered += needFen;
    }
    if (rows.length < BATCH) break;
  }
  return out;
}

/**
 * Distributes one contribution to the entries that joined before the contributing order,
 * in queue order (docs/models/queue-rebate.md); what no entry can take stays with the merchant.
 */
export async function contribute(
  tx: Tx,
  settings: Settings,
  c: { queueId: string; contributionId: string; orderId: number; amountFen: number; seq: number },
  at: Date,
) {
  if (c.amountFen <= 0) return;
  await lockQueue(tx, c.queueId);
  const q = settings.queueRebate;
  const candidates = q.paused
    ? []
    : await candidatesFor(tx, c.queueId, c.seq, c.amountFen, q.order === 'completedFirst');
  const { plan, payouts } = planQueueContribution({
    queueId: c.queueId,
    contributionId: c.contributionId,
    contributorOrderId: String(c.orderId),
    amountFen: c.amountFen,
    paused: q.paused,
    candidates,
  });
  const ids = await applyPlan(tx, plan, at);
  await recordPayouts(tx, c.queueId, c.orderId, payouts, ids, at);
}

/**
 * An order joins a queue with the entry planOrderQueues drafted, unless a per-person
 * limit is reached; with random return on, some members of each group are converted to
 * points at once instead of queueing.
 */
export async function joinQueue(
  tx: Tx,
  settings: Settings,
  j: {
    queueId: string;
    orderId: number;
    userId: number;
    seq: number;
    placedAt: Date;
    completed: boolean;
    tz: string;
    draft: EntryDraft;
  },
  at: Date,
) {
  await lockQueue(tx, j.queueId);
  const chain = j.draft.chain;
  const dayKey = localDayKey(j.placedAt.getTime(), j.tz);
  const perDay = pick(chain, 'perUserPerDay');
  const perTotal = pick(chain, 'perUserTotal');
  const counted = (filter: 'day' | 'total') =>
    tx
      .selectFrom('queue_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('queue_id', '=', j.queueId)
      .where('user_id', '=', j.userId)
      .where('status', '<>', 'cancelled')
      .where(filter === 'day' ? 'limit_day' : 'limit_total', '=', true)
      .$if(filter === 'day', (qb) => qb.where('day_key', '=', dayKey))
      .executeTakeFirstOrThrow();
  if (perDay != null && Number((await counted('day')).n) >= perDay) return;
  if (perTotal != null && Number((await counted('total')).n) >= perTotal) return;

  let converted = false;
  const rr = pick(chain, 'randomReturn');
  if (rr) {
    const size = rr.cash + rr.points;
    const group = await tx
      .selectFrom('queue_random_groups')
      .selectAll()
      .where('queue_id', '=', j.queueId)
      .forUpdate()
      .executeTakeFirst();
    let pos = group?.pos ?? size;
    let slots = group?.points_slots ?? [];
    if (pos >= size) {
      slots = randomReturnSlots(rr, cryptoRng);
      pos = 0;
    }
    converted = slots.includes(pos);
    await tx
      .insertInto('queue_random_groups')
      .values({ queue_id: j.queueId, pos: pos + 1, points_slots: slots })
      .onConflict((oc) => oc.column('queue_id').doUpdateSet({ pos: pos + 1, points_slots: slots }))
      .execute();
  }

  const entry = await tx
    .insertInto('queue_entries')
    .values({
      queue_id: j.queueId,
      seq: j.seq,
      order_id: j.orderId,
      user_id: j.userId,
      entitlement_fen: j.draft.entitlementFen,
      status: converted ? 'converted' : 'waiting',
      own_completed: j.completed,
      day_key: dayKey,
      limit_day: perDay != null,
      limit_total: perTotal != null,
      units: JSON.stringify(
        j.draft.units.map((u) => ({
          paidFen: u.paidFen,
          basePctH: u.basePctH,
          lotteryApplies: u.lotteryApplies,
        })),
      ),
      created_at: at,
    })
    .returning(['id', 'entitlement_fen'])
    .executeTakeFirstOrThrow();
  if (converted)
    await convertEntry(
      tx,
      settings,
      { id: entry.id, userId: j.userId, orderId: j.orderId, remainingFen: entry.entitlement_fen },
      'points',
      'queue.random_return_points',
      `rr:${entry.id}`,
      at,
    );
}

/**
 * An entry's remaining entitlement becomes points or voucher value at the configured
 * rate (exchange, random return): a pending reward on the entry's own order.
 */
export async function convertEntry(
  tx: Tx,
  settings: Settings,
  e: { id: number; userId: number; orderId: number; remainingFen: number },
  to: 'points' | 'voucher',
  reason: 'queue.random_return_points' | 'queue.exchange_points' | 'queue.exchange_voucher',
  key: string,
  at: Date,
) {
  const rate = settings.queueRebate.exchangeRate;
  const amount = unitsPerYuanOfFen(
    e.remainingFen,
    to === 'points' ? rate.pointsPerYuan : rate.voucherPerYuan,
  );
  await grantRewards(
    tx,
    'conversion',
    [
      {
        id: key,
        userId: String(e.userId),
        asset: to,
        amount,
        reason,
        source: { type: 'queue_entry', id: String(e.id) },
        dependsOnOrders: [String(e.orderId)],
      },
    ],
    e.orderId,
    at,
  );
}
