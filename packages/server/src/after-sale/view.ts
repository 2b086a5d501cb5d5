import type { Db } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';
import type { AfterSale } from '../db/schema-commerce.ts';
import { maskPhone } from '../auth/sms.ts';
import { refundPlan, type RefundPlan } from './amounts.ts';

/** Not approved (yet): nothing is booked, so the amounts shown are what approval would refund. */
const UNBOOKED = new Set<AfterSale['status']>(['pending', 'rejected', 'cancelled']);

/**
 * After-sale requests as shoppers and staff read them: the amounts, the lines asked for,
 * the order's number and — for staff only — the buyer (nickname and masked phone). Until
 * a request is approved its amounts are those `refundPlan` gives now, the same function
 * the approval books, so the review screen shows what approval pays.
 */
export async function afterSaleViews(
  db: Db | Tx,
  ids: readonly number[],
  opts: { forStaff: boolean },
) {
  if (ids.length === 0) return [];
  const [rows, lines] = await Promise.all([
    db
      .selectFrom('after_sales as a')
      .innerJoin('orders as o', 'o.id', 'a.order_id')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .selectAll('a')
      .select(['o.order_no', 'o.state as order_state', 'u.nickname', 'u.phone'])
      .where('a.id', 'in', ids)
      .execute(),
    db
      .selectFrom('after_sale_lines as al')
      .innerJoin('order_lines as ol', 'ol.id', 'al.order_line_id')
      .select([
        'al.after_sale_id',
        'al.order_line_id',
        'al.qty',
        'al.refund_fen',
        'al.refund_balance_fen',
        'al.refund_points',
        'ol.title',
        'ol.spec',
        'ol.image',
        'ol.unit_price_fen',
      ])
      .where('al.after_sale_id', 'in', ids)
      .orderBy('al.order_line_id')
      .execute(),
  ]);
  const plans = new Map<number, RefundPlan>();
  for (const a of rows)
    if (UNBOOKED.has(a.status)) plans.set(a.id, await refundPlan(db, a.id, { lock: false }));
  const byId = new Map(rows.map((a) => [a.id, a]));
  return ids.flatMap((id) => {
    const a = byId.get(id);
    if (!a) return [];
    const plan = plans.get(a.id);
    return [
      {
        id: a.id,
        orderId: a.order_id,
        orderNo: a.order_no,
        orderState: a.order_state,
        userId: a.user_id,
        ...(opts.forStaff
          ? { buyer: { nickname: a.nickname, phone: a.phone ? maskPhone(a.phone) : null } }
          : {}),
        kind: a.kind,
        status: a.status,
        reason: a.reason,
        refundFen: plan?.cashFen ?? a.refund_fen,
        refundBalanceFen: plan?.balanceFen ?? a.refund_balance_fen,
        refundPoints: plan?.points ?? a.refund_points,
        outRefundNo: a.out_refund_no,
        reviewNote: a.review_note,
        failure: a.failure,
        createdAt: a.created_at.toISOString(),
        reviewedAt: a.reviewed_at?.toISOString() ?? null,
        refundedAt: a.refunded_at?.toISOString() ?? null,
        lines: lines
          .filter((l) => l.after_sale_id === a.id)
          .map((l) => {
            const planned = plan?.lines.find((p) => p.orderLineId === l.order_line_id);
            return {
              lineId: l.order_line_id,
              title: l.title,
              spec: l.spec,
              image: l.image,
              unitPriceFen: l.unit_price_fen,
              qty: l.qty,
              refundFen: planned?.cashFen ?? l.refund_fen,
              refundBalanceFen: planned?.balanceFen ?? l.refund_balance_fen,
              refundPoints: planned?.points ?? l.refund_points,
            };
          }),
      },
    ];
  });
}

export type AfterSaleView = Awaited<ReturnType<typeof afterSaleViews>>[number];

export async function afterSaleView(db: Db | Tx, id: number, opts: { forStaff: boolean }) {
  return (await afterSaleViews(db, [id], opts))[0] ?? null;
}
