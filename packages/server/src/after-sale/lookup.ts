import type { Db } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';

/** The payment that paid an order (the one refunds go back through). */
export async function paidPaymentOf(db: Db | Tx, orderId: number) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('status', '=', 'paid')
    .where('orphan_refund_no', 'is', null)
    .executeTakeFirstOrThrow();
}
