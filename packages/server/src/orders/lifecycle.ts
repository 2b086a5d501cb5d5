import { sql } from 'kysely';
import { windowEndsAtMs } from '@fanli/engine';
import type { Tx } from '../db/tx.ts';
import type { Order } from '../db/schema-commerce.ts';
import { err, ok, type Result } from '../errors/index.ts';
import { postPending, voidPending } from '../ledger/index.ts';
import { enqueue } from '../jobs/queue.ts';
import { registryOf } from '../app/registry.ts';
import { DAY_MS, type CommerceConfig } from './config.ts';
import { emitCompleted, emitPaid, emitSettled, type OrderPaidEvent } from './events.ts';
import { rulesInForce } from '../rules/versions.ts';
import { OPEN_AFTER_SALE, ordersWithOpenAfterSale } from '../after-sale/open.ts';

/**
 * State changes of an order. Each is a conditional UPDATE on the current state, so of
 * two racing changes exactly one wins and the other sees ORDER_STATE_INVALID.
 * pending_payment → paid → shipped → completed; pending_payment → cancelled.
 */

export const JOB_AUTO_CANCEL = 'order.autoCancel';
export const JOB_AUTO_COMPLETE = 'order.autoComplete';
export const JOB_SETTLE = 'order.settle';

async function resolveDeductions(tx: Tx, o: Order, how: 'post' | 'void', at: Date) {
  for (const id of [o.points_transfer_id, o.balance_transfer_id]) {
    if (id === null) continue;
    const r =
      how === 'post'
        ? await postPending(tx, id, { at })
        : await voidPending(tx, id, { at, reason: 'order.cancelled' });
    if (!r.ok) throw new Error(`order ${o.id}: cannot ${how} deduction transfer ${id}: ${r.code}`);
  }
}

/**
 * pending_payment → paid: the points and balance reserved at checkout are posted, the
 * products' sales counters move, and the rule engine hears `onPaid`. The cash part is
 * booked by the caller (payment-flow) in the same transaction. Returns the paid order,
 * or null when the order was not waiting for payment.
 */
export async function markOrderPaid(
  tx: Tx,
  orderId: number,
  provider: string | null,
  at: Date,
): Promise<Order | null> {
  // One statement: the order, its lines and the products' sales counters. The products
  // are locked in id order first (the scalar subquery runs before any update), the same
  // order for every payment: no deadlock.
  const found = await sql<Order & { lines: OrderPaidEvent['lines'] }>`
    with o as (
      update orders set state = 'paid', paid_at = ${at}, payment_provider = ${provider}
       where id = ${orderId} and state = 'pending_payment'
      returning *),
    l as (select id, product_id, qty, paid_fen from order_lines where order_id in (select id from o)),
    q as (select product_id, sum(qty)::int as qty from l group by product_id),
    locked as materialized (
      select p.id from products p where p.id in (select product_id from q) order by p.id for no key update),
    s as (
      update products p set sales = p.sales + q.qty from q
       where p.id = q.product_id and (select count(*) from locked) >= 0)
    select o.*,
           coalesce((select json_agg(json_build_object('id', l.id, 'product_id', l.product_id,
                                                       'qty', l.qty, 'paid_fen', l.paid_fen) order by l.id)
                       from l), '[]'::json) as lines
      from o`.execute(tx);
  const row = found.rows[0];
  if (!row) return null;
  const { lines, ...o } = row;
  await resolveDeductions(tx, o, 'post', at);
  await emitPaid(tx, {
    orderId: o.id,
    userId: o.user_id,
    storeId: o.store_id,
    itemsFen: o.items_fen,
    payableFen: o.payable_fen,
    pointsUsed: o.points_used,
    balanceFen: o.balance_fen,
    at,
    order: o,
    lines,
  });
  return o;
}

/** Gives the reserved stock back, SKUs in id order (the same order as reservation: no deadlock). */
async function releaseStock(tx: Tx, orderId: number) {
  const lines = await tx
    .selectFrom('order_lines')
    .select(['sku_id', 'qty'])
    .where('order_id', '=', orderId)
    .orderBy('sku_id')
    .execute();
  for (const l of lines) {
    await tx
      .updateTable('skus')
      .set({ stock: sql`stock + ${l.qty}` })
      .where('id', '=', l.sku_id)
      .execute();
  }
}

/** pending_payment → cancelled: stock released, points/balance reservations voided, coupon and activity stock given back. */
export async function cancelOrder(
  tx: Tx,
  orderId: number,
  reason: string,
  at: Date,
): Promise<Result<Order>> {
  const o = await tx
    .updateTable('orders')
    .set({ state: 'cancelled', cancelled_at: at, cancel_reason: reason })
    .where('id', '=', orderId)
    .where('state', '=', 'pending_payment')
    .returningAll()
    .executeTakeFirst();
  if (!o) return err('ORDER_STATE_INVALID');
  await releaseStock(tx, o.id);
  await resolveDeductions(tx, o, 'void', at);
  const hooks = registryOf(tx).checkout;
  if (o.coupon_id !== null)
    await hooks.releaseCoupon(tx, {
      userId: o.user_id,
      couponId: o.coupon_id,
      orderId: o.id,
    });
  await hooks.releaseActivityStock(tx, { userId: o.user_id, orderId: o.id });
  await tx
    .updateTable('payments')
    .set({ status: 'closed' })
    .where('order_id', '=', o.id)
    .where('status', '=', 'pending')
    .execute();
  return ok(o);
}

/**
 * paid → shipped (staff); the order completes by itself `autoCompleteDays` later. Not
 * while a refund request is open, nor once everything was refunded.
 */
export async function shipOrder(
  tx: Tx,
  cfg: CommerceConfig,
  orderId: number,
  input: { carrier: string; trackingNo: string },
  at: Date,
): Promise<
  Result<Order, 'ORDER_STATE_INVALID' | 'ORDER_AFTER_SALE_OPEN' | 'ORDER_FULLY_REFUNDED'>
> {
  // Lock the order first: a buyer's request holds a key-share lock on it (its foreign key)
  // until it commits, so the guarded update below, a new statement, sees every request
  // committed before it, and a request arriving later finds the order already shipped.
  await tx.selectFrom('orders').select('id').where('id', '=', orderId).forUpdate().execute();
  const o = await tx
    .updateTable('orders')
    .set({
      state: 'shipped',
      shipped_at: at,
      carrier: input.carrier,
      tracking_no: input.trackingNo,
    })
    .where('id', '=', orderId)
    .where('state', '=', 'paid')
    .where('refund_status', '<>', 'full')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('after_sales')
            .select('after_sales.id')
            .whereRef('after_sales.order_id', '=', 'orders.id')
            .where('after_sales.status', 'in', OPEN_AFTER_SALE),
        ),
      ),
    )
    .returningAll()
    .executeTakeFirst();
  if (!o) return err(await whyNotShippable(tx, orderId));
  await enqueue(
    tx,
    {
      kind: JOB_AUTO_COMPLETE,
      payload: { orderId: o.id },
      runAt: new Date(at.getTime() + cfg.autoCompleteDays * DAY_MS),
      uniqueKey: `${JOB_AUTO_COMPLETE}:${o.id}`,
    },
    at,
  );
  return ok(o);
}

async function whyNotShippable(tx: Tx, orderId: number) {
  const o = await tx
    .selectFrom('orders')
    .select(['state', 'refund_status'])
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (o?.refund_status === 'full') return 'ORDER_FULLY_REFUNDED' as const;
  if (o?.state !== 'paid') return 'ORDER_STATE_INVALID' as const;
  return (await ordersWithOpenAfterSale(tx, [orderId])).size > 0
    ? ('ORDER_AFTER_SALE_OPEN' as const)
    : ('ORDER_STATE_INVALID' as const);
}

/**
 * shipped → completed (the buyer confirms receipt, or the auto-complete job). Records
 * `completed_at` and `settle_at`, the end of the after-sale window (engine
 * `windowEndsAtMs`: settleAfterDays × 24 h, settleAfterDays of the reward rules in force
 * when the order was placed), when the settle job tells the rule engine the window is over.
 */
export async function completeOrder(
  tx: Tx,
  _cfg: CommerceConfig,
  orderId: number,
  at: Date,
  /** in-store payments are handed over at the till: they complete straight from `paid` */
  from: 'shipped' | 'paid' = 'shipped',
): Promise<Result<Order>> {
  const placed = await tx
    .selectFrom('orders')
    .select('created_at')
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!placed) return err('ORDER_STATE_INVALID');
  const { settings } = await rulesInForce(tx, new Date(placed.created_at));
  const settleAt = new Date(windowEndsAtMs(at.getTime(), settings.settleAfterDays));
  const o = await tx
    .updateTable('orders')
    .set({ state: 'completed', completed_at: at, settle_at: settleAt })
    .where('id', '=', orderId)
    .where('state', '=', from)
    .returningAll()
    .executeTakeFirst();
  if (!o) return err('ORDER_STATE_INVALID');
  await enqueue(
    tx,
    {
      kind: JOB_SETTLE,
      payload: { orderId: o.id },
      runAt: settleAt,
      uniqueKey: `${JOB_SETTLE}:${o.id}`,
    },
    at,
  );
  await emitCompleted(tx, { orderId: o.id, userId: o.user_id, completedAt: at, settleAt });
  return ok(o);
}

/**
 * The after-sale window ended: recorded once, then the rule engine hears `onSettled`. A
 * request made inside the window and still open (waiting for review or refunding) holds
 * the window: the order does not settle until the request closes, and the close settles
 * it at once if the window has ended by then (after-sale/service.ts). Called by the
 * `order.settle` job at `settle_at` and by every path that closes a request.
 */
export async function settleOrder(tx: Tx, orderId: number, at: Date): Promise<boolean> {
  // Lock the order first: a buyer's request holds a key-share lock on it until it commits,
  // so the guarded update below, a new statement, sees every request committed before it.
  await tx.selectFrom('orders').select('id').where('id', '=', orderId).forUpdate().execute();
  const o = await tx
    .updateTable('orders')
    .set({ settled_at: at })
    .where('id', '=', orderId)
    .where('state', '=', 'completed')
    .where('settled_at', 'is', null)
    .where('settle_at', '<=', at)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('after_sales')
            .select('after_sales.id')
            .whereRef('after_sales.order_id', '=', 'orders.id')
            .where('after_sales.status', 'in', OPEN_AFTER_SALE)
            // a request made once the window had ended holds nothing
            .whereRef('after_sales.created_at', '<', 'orders.settle_at'),
        ),
      ),
    )
    .returningAll()
    .executeTakeFirst();
  if (!o) return false;
  await emitSettled(tx, { orderId: o.id, userId: o.user_id, at });
  return true;
}
