import type { Db } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';
import type { AfterSaleStatus } from '../db/schema-commerce.ts';

/** A request the merchant has not closed yet: waiting for review, or approved and refunding. */
export const OPEN_AFTER_SALE: readonly AfterSaleStatus[] = ['pending', 'refunding'];

/** Which of these orders have an open after-sale request. */
export async function ordersWithOpenAfterSale(
  db: Db | Tx,
  orderIds: readonly number[],
): Promise<Set<number>> {
  if (orderIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('after_sales')
    .select('order_id')
    .distinct()
    .where('order_id', 'in', orderIds)
    .where('status', 'in', OPEN_AFTER_SALE)
    .execute();
  return new Set(rows.map((r) => r.order_id));
}
