import { unitsPerYuanOfFen } from '../money/money.ts';
import type { EntryUpdateOp, Plan } from '../ledger/types.ts';
import { MERCHANT, USER } from '../ledger/rewards.ts';
import {
  applyEntryUpdate,
  candidates,
  createQueueBook,
  joinQueue,
  markCompleted,
  type BookEntry,
  type QueueBook,
} from '../queue-rebate/book.ts';
import { planClearing } from '../queue-rebate/clearing.ts';
import { drawLotteryPctH, lotteryOf, pick } from '../queue-rebate/entitlement.ts';
import {
  entitlementAfterDraw,
  planOrderQueues,
  randomReturnSlots,
  type EntryDraft,
} from '../queue-rebate/order-queues.ts';
import { planPayoutVoids, planQueueContribution, type PayoutToVoid } from '../queue-rebate/plan.ts';
import { localDayKey } from '../time/zone.ts';
import { applyOps, trackReward } from './rewards.ts';
import type { Sim, SimOrder, SimReward } from './state.ts';

export function getBook(sim: Sim, queueId: string): QueueBook {
  let book = sim.books.get(queueId);
  if (!book) sim.books.set(queueId, (book = createQueueBook(queueId)));
  return book;
}

/** Apply the queue ops of a plan to the in-memory books. */
function applyQueueOps(sim: Sim, plan: Plan): void {
  for (const op of plan.ops) {
    if (op.op !== 'entry.update') continue;
    const e = sim.entries.get(op.entryKey);
    const book = e && sim.books.get(e.queueId);
    if (e && book) applyEntryUpdate(book, e, op);
  }
}

/** The buyer's completed, not refunded spend in the `days` days before `atMs`. */
function spendFen(sim: Sim, userId: string, atMs: number, days: number): number {
  const user = sim.users.get(userId);
  if (!user) return 0;
  const from = atMs - days * 86_400_000;
  let sum = 0;
  for (const o of user.orders) {
    if (o.status === 'completed' && o.paidAtMs !== null && o.paidAtMs >= from && o.paidAtMs <= atMs)
      sum += o.paidFen;
  }
  return sum;
}

/**
 * An order was paid: its units join their queues (when they earn entitlement) and their
 * contributions are computed; with settleOn = paid they are distributed now. What each
 * queue gets is decided by planOrderQueues, the same function the server calls.
 */
export function queueOnPaid(sim: Sim, order: SimOrder): void {
  const q = sim.settings.queueRebate;
  const groups = planOrderQueues(
    sim.settings,
    { ...order, orderId: order.id },
    {
      tz: sim.tz,
      spendFen: (days) => spendFen(sim, order.userId, order.placedAtMs, days),
    },
  );
  for (const g of groups) {
    const book = getBook(sim, g.queueId);
    if (g.entry) joinIfEligible(sim, order, book, g.entry);
    if (q.pool) continue;
    order.contributions.push({
      queueId: g.queueId,
      contributionId: g.contributionId,
      amountFen: g.contributionFen,
    });
  }
  if (q.enabled && q.settleOn === 'paid') contribute(sim, order);
}

function joinIfEligible(sim: Sim, order: SimOrder, book: QueueBook, draft: EntryDraft): void {
  const { units, entitlementFen, chain: entryChain } = draft;

  // Limits: entitlements per person per day / in total, per queue.
  // Counted only when a limit is set (a limit applies to entries made while it is set).
  const perDay = pick(entryChain, 'perUserPerDay');
  const perTotal = pick(entryChain, 'perUserTotal');
  const limitKeys: string[] = [];
  if (perDay != null) {
    const dayKey = `${book.id}|${order.userId}|${localDayKey(order.placedAtMs, sim.tz)}`;
    if ((sim.limitCounts.get(dayKey) ?? 0) >= perDay) return;
    limitKeys.push(dayKey);
  }
  if (perTotal != null) {
    const totalKey = `${book.id}|${order.userId}`;
    if ((sim.limitCounts.get(totalKey) ?? 0) >= perTotal) return;
    limitKeys.push(totalKey);
  }
  for (const k of limitKeys) sim.limitCounts.set(k, (sim.limitCounts.get(k) ?? 0) + 1);

  // Random return: in each group of cash + points entries, the points members are converted.
  const rr = pick(entryChain, 'randomReturn');
  let converted = false;
  if (rr) {
    const size = rr.cash + rr.points;
    let g = sim.randomGroups.get(book.id);
    if (!g || g.pos >= size) {
      g = { pos: 0, pointsSlots: new Set(randomReturnSlots(rr, sim.rng)) };
      sim.randomGroups.set(book.id, g);
    }
    converted = g.pointsSlots.has(g.pos);
    g.pos++;
  }

  const order0 = sim.orders.get(order.id);
  const entry = joinQueue(book, {
    orderId: order.id,
    userId: order.userId,
    seq: order.paySeq,
    entitlementFen,
    status: converted ? 'converted' : 'waiting',
    completed: order0?.status === 'completed',
  });
  sim.entries.set(entry.key, entry);
  const list = sim.entriesByOrder.get(order.id) ?? [];
  list.push(entry);
  sim.entriesByOrder.set(order.id, list);
  sim.entryMeta.set(entry.key, { units, drawn: false, limitKeys, joinedAtMs: sim.nowMs });
  if (converted) {
    grantEntryConversion(sim, entry, 'points', 'queue.random_return_points', `rr:${entry.key}`);
  }
}

/** Turn an entry's remaining entitlement into points or voucher value (a pending reward). */
function grantEntryConversion(
  sim: Sim,
  entry: BookEntry,
  to: 'points' | 'voucher',
  reason: 'queue.random_return_points' | 'queue.exchange_points' | 'queue.exchange_voucher',
  id: string,
): void {
  const rate = sim.settings.queueRebate.exchangeRate;
  const remaining = Math.max(0, entry.entitlementFen - entry.receivedFen);
  const amount = unitsPerYuanOfFen(
    remaining,
    to === 'points' ? rate.pointsPerYuan : rate.voucherPerYuan,
  );
  if (amount <= 0) return;
  applyOps(sim, [
    {
      op: 'transfer',
      id,
      debit: MERCHANT(to),
      credit: USER(entry.userId, to),
      amount,
      reason,
      source: { type: 'queue_entry', id: entry.key },
      pending: true,
    },
  ]);
  trackReward(sim, {
    id,
    kind: 'other',
    userId: entry.userId,
    asset: to,
    amount,
    deps: [entry.orderId],
    state: 'pending',
  });
}

/** Distribute an order's contributions (at settleOn) to the entries ahead of it. */
export function contribute(sim: Sim, order: SimOrder): void {
  const q = sim.settings.queueRebate;
  for (const c of order.contributions) {
    const book = getBook(sim, c.queueId);
    const { plan, payouts } = planQueueContribution({
      queueId: c.queueId,
      contributionId: c.contributionId,
      contributorOrderId: order.id,
      amountFen: c.amountFen,
      paused: q.paused,
      candidates: candidates(book, q.order, order.paySeq),
    });
    applyOps(sim, plan.ops);
    applyQueueOps(sim, plan);
    for (const p of payouts) {
      trackReward(sim, {
        id: p.transferId,
        kind: 'queue',
        userId: p.userId,
        asset: 'cash',
        amount: p.amountFen,
        deps: p.entryOrderId === order.id ? [order.id] : [order.id, p.entryOrderId],
        state: 'pending',
        queueId: c.queueId,
        entryKey: p.entryKey,
        entryOrderId: p.entryOrderId,
      });
    }
  }
  order.contributions = [];
}

/** Profit-pool variant: fund the `pool` queue from a day's profit, FIFO (or completedFirst). */
export function fundPool(sim: Sim, dayKey: string, amountFen: number): void {
  const q = sim.settings.queueRebate;
  const book = sim.books.get('pool');
  if (!book || amountFen <= 0) return;
  const { plan, payouts } = planQueueContribution({
    queueId: 'pool',
    contributionId: `day:${dayKey}`,
    contributorOrderId: `day:${dayKey}`,
    amountFen,
    paused: q.paused,
    candidates: candidates(book, q.order, Number.MAX_SAFE_INTEGER),
    fundReason: 'pool.fund',
  });
  applyOps(sim, plan.ops);
  applyQueueOps(sim, plan);
  for (const p of payouts) {
    trackReward(sim, {
      id: p.transferId,
      kind: 'queue',
      userId: p.userId,
      asset: 'cash',
      amount: p.amountFen,
      deps: [p.entryOrderId],
      state: 'pending',
      queueId: 'pool',
      entryKey: p.entryKey,
      entryOrderId: p.entryOrderId,
    });
  }
}

export function queueOnCompleted(sim: Sim, order: SimOrder): void {
  for (const e of sim.entriesByOrder.get(order.id) ?? []) {
    const book = sim.books.get(e.queueId);
    if (book) markCompleted(book, e);
  }
  if (sim.settings.queueRebate.settleOn === 'completed') contribute(sim, order);
}

/** Close an order's entries (refund): cancelled, they stop counting against limits. */
export function cancelEntries(sim: Sim, order: SimOrder): void {
  for (const e of sim.entriesByOrder.get(order.id) ?? []) {
    if (e.status === 'cancelled') continue;
    if (e.status !== 'cleared') {
      for (const k of sim.entryMeta.get(e.key)?.limitKeys ?? [])
        sim.limitCounts.set(k, (sim.limitCounts.get(k) ?? 1) - 1);
    }
    e.status = 'cancelled';
  }
  order.contributions = [];
}

/**
 * Void pending queue payouts in one plan: entries paid by a refunded contributor reopen
 * in their old places; the money returns from the pools to the merchant.
 */
export function voidQueuePayouts(sim: Sim, rewards: SimReward[], reversalId: string): void {
  const list: PayoutToVoid[] = [];
  for (const r of rewards) {
    if (r.state !== 'pending' || !r.entryKey || !r.queueId) continue;
    const e = sim.entries.get(r.entryKey);
    list.push({
      transferId: r.id,
      entryKey: r.entryKey,
      queueId: r.queueId,
      amountFen: r.amount,
      reopen: e !== undefined && (e.status === 'done' || e.status === 'waiting'),
    });
    r.state = 'voided';
  }
  if (list.length === 0) return;
  const plan = planPayoutVoids(reversalId, list, reversalId.replace(/^refund:/, ''));
  applyOps(sim, plan.ops);
  applyQueueOps(sim, plan);
}

/** `lottery {order}`: draw once per entry that has received nothing yet. */
export function drawLottery(sim: Sim, order: SimOrder): void {
  for (const e of sim.entriesByOrder.get(order.id) ?? []) {
    const meta = sim.entryMeta.get(e.key);
    if (!meta || meta.drawn || e.status !== 'waiting' || e.receivedFen > 0) continue;
    const unit = meta.units.find((u) => u.lotteryApplies);
    const lottery = unit && lotteryOf(unit.chain);
    if (!unit || !lottery) continue;
    meta.drawn = true;
    const drawnPctH = drawLotteryPctH(lottery, sim.rng);
    const entitlementFen = entitlementAfterDraw(meta.units, drawnPctH);
    const book = sim.books.get(e.queueId);
    const op: EntryUpdateOp = { op: 'entry.update', entryKey: e.key, entitlementFen };
    if (book) applyEntryUpdate(book, e, op);
  }
}

/** `exchange {order, to}`: remaining entitlement → points or voucher value; entry leaves. */
export function exchangeEntries(sim: Sim, order: SimOrder, to: 'points' | 'voucher'): void {
  for (const e of sim.entriesByOrder.get(order.id) ?? []) {
    if (e.status !== 'waiting') continue;
    grantEntryConversion(
      sim,
      e,
      to,
      to === 'points' ? 'queue.exchange_points' : 'queue.exchange_voucher',
      `qe:${e.key}`,
    );
    e.status = 'exchanged';
  }
}

/**
 * Clearing (清零) now: each queue forfeits what planClearing decides, the same function the
 * server's clearing job calls.
 */
export function clearQueues(sim: Sim): void {
  for (const book of sim.books.values()) {
    const ops = planClearing(
      book.entries.map((e) => ({
        entryKey: e.key,
        status: e.status,
        joinedAtMs: sim.entryMeta.get(e.key)?.joinedAtMs ?? sim.nowMs,
      })),
      sim.nowMs,
    );
    applyQueueOps(sim, { ops });
  }
}
