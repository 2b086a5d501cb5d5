import { sql, type Updateable } from 'kysely';
import type { Tx } from '../db/tx.ts';
import type { AfterSale, AfterSalesTable } from '../db/schema-commerce.ts';
import { err, ok, type Result } from '../errors/index.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { schedulePolls } from '../payment-flow/provider-call.ts';
import {
  gatewayAccount,
  merchantAccount,
  postPending,
  transfer,
  userAccount,
  voidPending,
} from '../ledger/index.ts';
import type { RefundedEvent } from '../payments/index.ts';
import { emitRefunded } from '../orders/events.ts';
import { settleOrder } from '../orders/lifecycle.ts';
import { outRefundNoFor } from '../orders/numbers.ts';
import { refundPlan } from './amounts.ts';

/** The job that polls a refund whose outcome is not known yet (after-sale/refund-call.ts). */
export const REFUND_POLL = { kind: 'afterSale.refund', idField: 'afterSaleId' };

export interface AfterSaleRequest {
  kind: 'refund' | 'return_refund';
  reason: string;
  lines: { lineId: number; qty: number }[];
}

/**
 * The buyer asks for a refund (退款) or a return and refund (退货退款) of some units of a
 * paid order. The units are claimed at once with a conditional UPDATE, so two requests
 * can never together exceed what was bought.
 */
export async function requestAfterSale(
  tx: Tx,
  userId: number,
  orderId: number,
  input: AfterSaleRequest,
  now: Date,
): Promise<Result<{ id: number }>> {
  const order = await tx
    .selectFrom('orders')
    .select(['id', 'state'])
    .where('id', '=', orderId)
    .where('user_id', '=', userId)
    // held to commit: staff cannot ship the order past this request (orders/lifecycle.ts)
    .forKeyShare()
    .executeTakeFirst();
  if (!order) return err('NOT_FOUND');
  if (!['paid', 'shipped', 'completed'].includes(order.state)) return err('ORDER_STATE_INVALID');
  const merged = new Map<number, number>();
  for (const l of input.lines) merged.set(l.lineId, (merged.get(l.lineId) ?? 0) + l.qty);
  const as = await tx
    .insertInto('after_sales')
    .values({
      order_id: order.id,
      user_id: userId,
      kind: input.kind,
      status: 'pending',
      reason: input.reason,
      out_refund_no: null,
      provider: null,
      provider_refund_no: null,
      transfer_ids: JSON.stringify([]),
      reviewer_id: null,
      review_note: null,
      failure: null,
      created_at: now,
      reviewed_at: null,
      refunded_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [lineId, qty] of [...merged.entries()].sort((a, b) => a[0] - b[0])) {
    const claimed = await tx
      .updateTable('order_lines')
      .set({ after_sale_qty: sql`after_sale_qty + ${qty}` })
      .where('id', '=', lineId)
      .where('order_id', '=', order.id)
      .where(sql<boolean>`after_sale_qty + ${qty} <= qty`)
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return err('AFTER_SALE_QTY_EXCEEDED', { lineId });
    await tx
      .insertInto('after_sale_lines')
      .values({ after_sale_id: as.id, order_line_id: lineId, qty })
      .execute();
  }
  return ok({ id: as.id });
}

/**
 * A request closed (withdrawn, rejected, refunded or failed). An open request made inside
 * the after-sale window holds the window (orders/lifecycle.ts `settleOrder`); if the
 * window has ended meanwhile the order settles now, in the transaction that closes the
 * request, so the settlement cannot be lost. `settleOrder` re-checks everything, other
 * open requests included.
 */
async function requestClosed(tx: Tx, orderId: number, now: Date) {
  await settleOrder(tx, orderId, now);
}

async function releaseUnits(tx: Tx, afterSaleId: number, alsoRefunded: boolean) {
  const lines = await tx
    .selectFrom('after_sale_lines')
    .selectAll()
    .where('after_sale_id', '=', afterSaleId)
    .orderBy('order_line_id')
    .execute();
  for (const l of lines) {
    await tx
      .updateTable('order_lines')
      .set(
        alsoRefunded
          ? {
              after_sale_qty: sql`after_sale_qty - ${l.qty}`,
              refunded_qty: sql`refunded_qty - ${l.qty}`,
              refunded_fen: sql`refunded_fen - ${l.refund_fen}`,
              refunded_balance_fen: sql`refunded_balance_fen - ${l.refund_balance_fen}`,
              refunded_points: sql`refunded_points - ${l.refund_points}`,
            }
          : { after_sale_qty: sql`after_sale_qty - ${l.qty}` },
      )
      .where('id', '=', l.order_line_id)
      .execute();
  }
}

/**
 * Moves a request from one status to the next in one guarded UPDATE (a concurrent twin
 * finds it moved and gets AFTER_SALE_STATE_INVALID); `userId` limits it to the buyer's own.
 */
export async function moveAfterSale(
  tx: Tx,
  where: { id: number; userId?: number },
  from: AfterSale['status'],
  set: Updateable<AfterSalesTable>,
): Promise<Result<AfterSale>> {
  let update = tx.updateTable('after_sales').set(set).where('id', '=', where.id);
  if (where.userId !== undefined) update = update.where('user_id', '=', where.userId);
  const as = await update.where('status', '=', from).returningAll().executeTakeFirst();
  if (as) return ok(as);
  let probe = tx.selectFrom('after_sales').select('id').where('id', '=', where.id);
  if (where.userId !== undefined) probe = probe.where('user_id', '=', where.userId);
  return err((await probe.executeTakeFirst()) ? 'AFTER_SALE_STATE_INVALID' : 'NOT_FOUND');
}

/** The buyer withdraws a request the merchant has not reviewed yet. */
export async function cancelAfterSale(
  tx: Tx,
  userId: number,
  id: number,
  now: Date,
): Promise<Result<AfterSale>> {
  const moved = await moveAfterSale(tx, { id, userId }, 'pending', {
    status: 'cancelled',
    reviewed_at: now,
  });
  if (!moved.ok) return moved;
  const as = moved.value;
  await releaseUnits(tx, as.id, false);
  await requestClosed(tx, as.order_id, now);
  return ok(as);
}

/** The merchant refuses: the units become available for a new request. */
export async function rejectAfterSale(
  tx: Tx,
  actor: Actor,
  id: number,
  note: string,
  now: Date,
): Promise<Result<AfterSale>> {
  const moved = await moveAfterSale(tx, { id }, 'pending', {
    status: 'rejected',
    reviewer_id: actor.id,
    review_note: note,
    reviewed_at: now,
  });
  if (!moved.ok) return moved;
  const as = moved.value;
  await releaseUnits(tx, as.id, false);
  await requestClosed(tx, as.order_id, now);
  await audit(
    tx,
    actor,
    'afterSale.reject',
    { type: 'after_sale', id },
    { orderId: as.order_id, note },
    now,
  );
  return ok(as);
}

/**
 * The merchant approves. In one transaction: each line's share is computed (cumulative
 * largest-remainder shares of what the line moved: cash paid, balance, points), the
 * reversing transfers are written as PENDING (merchant → gateway for cash, merchant →
 * buyer for balance and points), the out_refund_no is persisted, and a fallback job is
 * scheduled. The provider is called afterwards (`executeRefund`, after-sale/refund-call.ts); its success posts the
 * transfers, a definite failure voids them.
 */
export async function approveAfterSale(
  tx: Tx,
  actor: Actor,
  id: number,
  note: string,
  now: Date,
): Promise<Result<AfterSale>> {
  const moved = await moveAfterSale(tx, { id }, 'pending', {
    status: 'refunding',
    reviewer_id: actor.id,
    review_note: note,
    reviewed_at: now,
  });
  if (!moved.ok) return moved;
  const as = moved.value;
  const order = await tx
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', as.order_id)
    .executeTakeFirstOrThrow();
  const plan = await refundPlan(tx, as.id, { lock: true });
  const { cashFen: cash, balanceFen: balance, points } = plan;
  for (const l of plan.lines) {
    await tx
      .updateTable('order_lines')
      .set({
        refunded_qty: sql`refunded_qty + ${l.qty}`,
        refunded_fen: sql`refunded_fen + ${l.cashFen}`,
        refunded_balance_fen: sql`refunded_balance_fen + ${l.balanceFen}`,
        refunded_points: sql`refunded_points + ${l.points}`,
      })
      .where('id', '=', l.orderLineId)
      .execute();
    await tx
      .updateTable('after_sale_lines')
      .set({ refund_fen: l.cashFen, refund_balance_fen: l.balanceFen, refund_points: l.points })
      .where('after_sale_id', '=', as.id)
      .where('order_line_id', '=', l.orderLineId)
      .execute();
  }
  const source = { type: 'after_sale', id: as.id };
  const transferIds: number[] = [];
  const provider = order.payment_provider;
  const moves = [
    cash > 0 && provider
      ? {
          debit: merchantAccount('cash'),
          credit: gatewayAccount(provider),
          amount: cash,
          reason: 'order.refund',
        }
      : null,
    balance > 0
      ? {
          debit: merchantAccount('cash'),
          credit: userAccount(order.user_id, 'cash'),
          amount: balance,
          reason: 'order.refund.balance',
        }
      : null,
    points > 0
      ? {
          debit: merchantAccount('points'),
          credit: userAccount(order.user_id, 'points'),
          amount: points,
          reason: 'order.refund.points',
        }
      : null,
  ];
  for (const m of moves) {
    if (!m) continue;
    const t = await transfer(tx, {
      ...m,
      source,
      pending: true,
      memo: { orderId: order.id },
      at: now,
    });
    if (!t.ok) throw new Error(`after-sale ${as.id}: ${t.code}`);
    transferIds.push(t.transfer.id);
  }
  const updated = await tx
    .updateTable('after_sales')
    .set({
      refund_fen: cash,
      refund_balance_fen: balance,
      refund_points: points,
      provider: cash > 0 ? provider : null,
      out_refund_no: cash > 0 ? outRefundNoFor(order.order_no, as.id) : null,
      transfer_ids: JSON.stringify(transferIds),
    })
    .where('id', '=', as.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(
    tx,
    actor,
    'afterSale.approve',
    { type: 'after_sale', id },
    { orderId: order.id, refundFen: cash, balanceFen: balance, points, note },
    now,
  );
  if (cash === 0) {
    // nothing to ask a provider for: balance and points go back at once
    await finalizeRefund(tx, as.id, null, now);
  } else {
    await schedulePolls(tx, REFUND_POLL, as.id, now);
  }
  return ok(updated);
}

/** The refund succeeded: reversing transfers posted, order totals updated, rule engine told. */
export async function finalizeRefund(
  tx: Tx,
  id: number,
  providerRefundNo: string | null,
  now: Date,
): Promise<boolean> {
  const as = await tx
    .updateTable('after_sales')
    .set({ status: 'refunded', refunded_at: now, provider_refund_no: providerRefundNo })
    .where('id', '=', id)
    .where('status', '=', 'refunding')
    .returningAll()
    .executeTakeFirst();
  if (!as) return false;
  for (const tid of as.transfer_ids) {
    const r = await postPending(tx, tid, { at: now });
    if (!r.ok) throw new Error(`after-sale ${id}: post ${tid}: ${r.code}`);
  }
  const order = await tx
    .updateTable('orders')
    .set({
      refunded_fen: sql`refunded_fen + ${as.refund_fen}`,
      refunded_balance_fen: sql`refunded_balance_fen + ${as.refund_balance_fen}`,
      refunded_points: sql`refunded_points + ${as.refund_points}`,
    })
    .where('id', '=', as.order_id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const [bought, refunded] = await Promise.all([
    tx
      .selectFrom('order_lines')
      .select((eb) => eb.fn.sum<number>('qty').as('n'))
      .where('order_id', '=', order.id)
      .executeTakeFirstOrThrow(),
    tx
      .selectFrom('after_sale_lines as l')
      .innerJoin('after_sales as a', 'a.id', 'l.after_sale_id')
      .select((eb) => eb.fn.sum<number>('l.qty').as('n'))
      .where('a.order_id', '=', order.id)
      .where('a.status', '=', 'refunded')
      .executeTakeFirstOrThrow(),
  ]);
  const full = Number(refunded.n ?? 0) >= Number(bought.n);
  await tx
    .updateTable('orders')
    .set({ refund_status: full ? 'full' : 'partial' })
    .where('id', '=', order.id)
    .execute();
  const lines = await tx
    .selectFrom('after_sale_lines as al')
    .innerJoin('order_lines as ol', 'ol.id', 'al.order_line_id')
    .select(['al.order_line_id', 'ol.product_id', 'al.qty', 'al.refund_fen'])
    .where('al.after_sale_id', '=', id)
    .execute();
  await emitRefunded(tx, {
    orderId: order.id,
    userId: order.user_id,
    afterSaleId: id,
    refundFen: as.refund_fen,
    refundBalanceFen: as.refund_balance_fen,
    refundPoints: as.refund_points,
    lines: lines.map((l) => ({
      orderLineId: l.order_line_id,
      productId: l.product_id,
      qty: l.qty,
      refundFen: l.refund_fen,
    })),
    full,
    // a request made inside the window held it open until now, however late the approval
    withinWindow: order.settled_at === null,
    at: now,
  });
  await requestClosed(tx, order.id, now);
  return true;
}

/** The provider definitely refused: reversals voided, the units may be requested again. */
export async function failRefund(tx: Tx, id: number, reason: string, now: Date): Promise<boolean> {
  const as = await tx
    .updateTable('after_sales')
    .set({ status: 'failed', failure: reason.slice(0, 500), refunded_at: null })
    .where('id', '=', id)
    .where('status', '=', 'refunding')
    .returningAll()
    .executeTakeFirst();
  if (!as) return false;
  for (const tid of as.transfer_ids) {
    const r = await voidPending(tx, tid, { at: now });
    if (!r.ok) throw new Error(`after-sale ${id}: void ${tid}: ${r.code}`);
  }
  await releaseUnits(tx, as.id, true);
  await requestClosed(tx, as.order_id, now);
  return true;
}

/** A verified refund notification (WeChat Pay refund.*, Alipay) for one of our after-sales. */
export async function applyRefundEvent(tx: Tx, event: RefundedEvent, now: Date): Promise<void> {
  if (!event.outRefundNo) return;
  const as = await tx
    .selectFrom('after_sales')
    .select(['id', 'status'])
    .where('out_refund_no', '=', event.outRefundNo)
    .forUpdate()
    .executeTakeFirst();
  if (!as || (as.status !== 'refunding' && as.status !== 'manual_review')) return;
  const final =
    event.status === 'succeeded' || event.status === 'closed' || event.status === 'abnormal';
  // a final answer arriving while the refund waits for an operator settles it all the same
  if (final && as.status === 'manual_review')
    await tx
      .updateTable('after_sales')
      .set({ status: 'refunding' })
      .where('id', '=', as.id)
      .execute();
  if (event.status === 'succeeded') await finalizeRefund(tx, as.id, event.providerRefundNo, now);
  else if (event.status === 'closed' || event.status === 'abnormal')
    await failRefund(tx, as.id, `provider refund ${event.status}`, now);
}
