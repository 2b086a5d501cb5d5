import { sql } from 'kysely';
import type { Tx } from '../db/tx.ts';
import type { Payment } from '../db/schema-commerce.ts';
import { enqueue } from '../jobs/queue.ts';
import { gatewayAccount, merchantAccount, transfer } from '../ledger/index.ts';
import { markOrderPaid } from '../orders/lifecycle.ts';
import { orphanRefundNoFor } from '../orders/numbers.ts';

export const JOB_RECONCILE = 'payment.reconcile';
export const JOB_REFUND_ORPHAN = 'payment.refundOrphan';

export type PaidOutcome = 'paid' | 'duplicate' | 'orphan' | 'unknown';

/**
 * Books a payment the provider confirmed (verified notification or reconciler query), in
 * the caller's transaction, exactly once: the payment row is locked, so concurrent
 * deliveries of one notification queue up and all but the first find it paid.
 * - the order is waiting → it becomes paid; gateway → merchant transfer of the amount.
 * - the order was cancelled (or paid by another attempt) meanwhile → the money still
 *   arrived: it is booked, and a job refunds it in full (an "orphan" payment).
 */
export async function applyPaidPayment(
  tx: Tx,
  outTradeNo: string,
  info: { providerTradeNo: string | null; notificationId: string | null; paidAt: Date | null },
  now: Date,
): Promise<PaidOutcome> {
  // One statement: the order is locked first (its scalar subquery runs before the UPDATE
  // touches any row), then the payment — the same order as cancel and pay, no deadlock.
  // The UPDATE locks the payment row; a concurrent delivery waits, then finds it paid and
  // updates nothing. A payment for an order no longer waiting is an orphan.
  const found = await sql<{ order_id: number; order_state: string; pay: Payment | null }>`
    with o as materialized (
      select id, state from orders
       where id = (select order_id from payments where out_trade_no = ${outTradeNo})
      for update),
    p as (
      update payments
         set status = 'paid', paid_at = ${info.paidAt ?? now},
             provider_trade_no = ${info.providerTradeNo}, notification_id = ${info.notificationId},
             orphan_refund_no = case when (select state from o) = 'pending_payment' then null
                                     else ${orphanRefundNoFor(outTradeNo)} end
       where out_trade_no = ${outTradeNo} and status <> 'paid' and (select count(*) from o) > 0
      returning *)
    select o.id as order_id, o.state as order_state, (select row_to_json(p) from p) as pay
      from o`.execute(tx);
  const order = found.rows[0];
  if (!order) return 'unknown';
  if (!order.pay) return 'duplicate';
  const orphan = order.order_state !== 'pending_payment';
  const pay = order.pay;
  const moved = await transfer(tx, {
    debit: gatewayAccount(pay.provider),
    credit: merchantAccount('cash'),
    amount: pay.amount_fen,
    reason: 'order.paid',
    source: { type: 'order', id: pay.order_id },
    idempotencyKey: `payment:${outTradeNo}`,
    memo: { outTradeNo },
    at: now,
  });
  if (!moved.ok) throw new Error(`payment ${outTradeNo}: gateway transfer failed: ${moved.code}`);
  if (orphan) {
    await enqueue(
      tx,
      {
        kind: JOB_REFUND_ORPHAN,
        payload: { paymentId: pay.id },
        runAt: now,
        uniqueKey: `${JOB_REFUND_ORPHAN}:${pay.id}`,
      },
      now,
    );
    return 'orphan';
  }
  const paid = await markOrderPaid(tx, order.order_id, pay.provider, now);
  if (!paid) throw new Error(`order ${order.order_id} locked in pending_payment but not updated`);
  return 'paid';
}
