import type { Tx } from '../db/tx.ts';
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
  // lock the order, then the payment: the same order as cancel and pay (no deadlock)
  const order = await tx
    .selectFrom('orders')
    .select(['id', 'state'])
    .where('id', '=', (eb) =>
      eb.selectFrom('payments').select('order_id').where('out_trade_no', '=', outTradeNo),
    )
    .forUpdate()
    .executeTakeFirst();
  if (!order) return 'unknown';
  const orphan = order.state !== 'pending_payment';
  // The UPDATE locks the payment row; a concurrent delivery waits, then finds it paid and
  // updates nothing.
  const pay = await tx
    .updateTable('payments')
    .set({
      status: 'paid',
      paid_at: info.paidAt ?? now,
      provider_trade_no: info.providerTradeNo,
      notification_id: info.notificationId,
      orphan_refund_no: orphan ? orphanRefundNoFor(outTradeNo) : null,
    })
    .where('out_trade_no', '=', outTradeNo)
    .where('status', '!=', 'paid')
    .returningAll()
    .executeTakeFirst();
  if (!pay) return 'duplicate';
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
  const paid = await markOrderPaid(tx, order.id, pay.provider, now);
  if (!paid) throw new Error(`order ${order.id} locked in pending_payment but not updated`);
  return 'paid';
}
