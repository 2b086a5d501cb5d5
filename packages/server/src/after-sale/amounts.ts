import type { Db } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';
import type { OrderLine } from '../db/schema-commerce.ts';
import { shareOfUnits } from '@fanli/engine';

type LineMoved = Pick<
  OrderLine,
  | 'qty'
  | 'paid_fen'
  | 'balance_fen'
  | 'points'
  | 'refunded_qty'
  | 'refunded_fen'
  | 'refunded_balance_fen'
  | 'refunded_points'
>;

export interface LineRefund {
  orderLineId: number;
  qty: number;
  cashFen: number;
  balanceFen: number;
  points: number;
}

export interface RefundPlan {
  cashFen: number;
  balanceFen: number;
  points: number;
  lines: LineRefund[];
}

/**
 * What refunding `units` more units of a line gives back: cumulative shares of what the
 * line moved (cash paid, balance, points) past what its earlier refunds took, so all the
 * refunds of a line add up to exactly what it moved.
 *
 * @example lineRefundOf({ qty: 3, paid_fen: 1000, refunded_qty: 1, refunded_fen: 333, … }, 2)
 *          // { cashFen: 667, … }
 */
export function lineRefundOf(line: LineMoved, units: number) {
  const part = (total: number, taken: number) =>
    Math.max(
      0,
      Math.min(total - taken, shareOfUnits(total, line.qty, 0, line.refunded_qty + units) - taken),
    );
  return {
    cashFen: part(line.paid_fen, line.refunded_fen),
    balanceFen: part(line.balance_fen, line.refunded_balance_fen),
    points: part(line.points, line.refunded_points),
  };
}

/**
 * What approving the request refunds, computed from its order lines as they stand. The
 * approval calls it with `lock` (the lines are locked in id order and the plan is what it
 * books); the review screens call it without, so what they show is what approval pays.
 */
export async function refundPlan(
  db: Db | Tx,
  afterSaleId: number,
  opts: { lock: boolean },
): Promise<RefundPlan> {
  let q = db
    .selectFrom('after_sale_lines as al')
    .innerJoin('order_lines as ol', 'ol.id', 'al.order_line_id')
    .select([
      'al.order_line_id',
      'al.qty as units',
      'ol.qty',
      'ol.paid_fen',
      'ol.balance_fen',
      'ol.points',
      'ol.refunded_qty',
      'ol.refunded_fen',
      'ol.refunded_balance_fen',
      'ol.refunded_points',
    ])
    .where('al.after_sale_id', '=', afterSaleId)
    .orderBy('al.order_line_id');
  if (opts.lock) q = q.forUpdate('ol');
  const rows = await q.execute();
  const lines = rows.map((r) => ({
    orderLineId: r.order_line_id,
    qty: r.units,
    ...lineRefundOf(r, r.units),
  }));
  return {
    cashFen: lines.reduce((n, l) => n + l.cashFen, 0),
    balanceFen: lines.reduce((n, l) => n + l.balanceFen, 0),
    points: lines.reduce((n, l) => n + l.points, 0),
    lines,
  };
}
