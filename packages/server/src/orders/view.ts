import type { Db } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';
import type { Order, OrderLine } from '../db/schema-commerce.ts';
import { ordersWithOpenAfterSale } from '../after-sale/open.ts';

/**
 * The JSON shape of an order for shoppers and staff (staff also get `userId`).
 * `afterSaleOpen`: a refund request is waiting for review or being refunded — the order
 * cannot ship meanwhile (orders/lifecycle.ts `shipOrder`).
 */
export function orderView(o: Order, lines: OrderLine[], afterSaleOpen = false) {
  return {
    id: o.id,
    orderNo: o.order_no,
    userId: o.user_id,
    state: o.state,
    refundStatus: o.refund_status,
    afterSaleOpen,
    itemsFen: o.items_fen,
    memberDiscountFen: o.member_discount_fen,
    couponFen: o.coupon_fen,
    couponId: o.coupon_id,
    pointsFen: o.points_fen,
    pointsUsed: o.points_used,
    balanceFen: o.balance_fen,
    payableFen: o.payable_fen,
    refundedFen: o.refunded_fen,
    refundedBalanceFen: o.refunded_balance_fen,
    refundedPoints: o.refunded_points,
    address: o.address,
    note: o.note,
    paymentProvider: o.payment_provider,
    createdAt: o.created_at.toISOString(),
    payDeadline: o.pay_deadline.toISOString(),
    paidAt: o.paid_at?.toISOString() ?? null,
    shippedAt: o.shipped_at?.toISOString() ?? null,
    carrier: o.carrier,
    trackingNo: o.tracking_no,
    completedAt: o.completed_at?.toISOString() ?? null,
    settleAt: o.settle_at?.toISOString() ?? null,
    cancelledAt: o.cancelled_at?.toISOString() ?? null,
    cancelReason: o.cancel_reason,
    lines: lines.map((l) => ({
      id: l.id,
      productId: l.product_id,
      skuId: l.sku_id,
      title: l.title,
      spec: l.spec,
      image: l.image,
      unitPriceFen: l.unit_price_fen,
      qty: l.qty,
      subtotalFen: l.subtotal_fen,
      memberDiscountFen: l.member_discount_fen,
      couponFen: l.coupon_fen,
      pointsFen: l.points_fen,
      points: l.points,
      balanceFen: l.balance_fen,
      paidFen: l.paid_fen,
      afterSaleQty: l.after_sale_qty,
      refundedQty: l.refunded_qty,
    })),
  };
}

export type OrderView = ReturnType<typeof orderView>;

export async function loadOrderView(db: Db | Tx, orderId: number): Promise<OrderView | null> {
  const o = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
  if (!o) return null;
  const [lines, open] = await Promise.all([
    db.selectFrom('order_lines').selectAll().where('order_id', '=', o.id).orderBy('id').execute(),
    ordersWithOpenAfterSale(db, [o.id]),
  ]);
  return orderView(o, lines, open.has(o.id));
}

/** The order if `userId` owns it: another shopper's order reads exactly like a missing one. */
export async function ownOrder(
  db: Db | Tx,
  orderId: number,
  userId: number,
): Promise<Order | undefined> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', orderId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}
