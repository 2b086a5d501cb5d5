import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** Calendar days `from`…`to` (YYYY-MM-DD, inclusive) in `timezone`. */
export interface LocalDays {
  from: string;
  to: string;
  timezone: string;
}

export interface SalesDay {
  date: string;
  /** orders paid that day */
  orders: number;
  /** what they paid: by the gateway plus from balance (an order's `payableFen + balanceFen`) */
  paidFen: number;
  /** what has been refunded on them so far, to the gateway and to balance
   * (an order's `refundedFen + refundedBalanceFen`) */
  refundedFen: number;
  /** GMV: paid minus refunded */
  gmvFen: number;
}

export interface Sales {
  orders: number;
  paidFen: number;
  refundedFen: number;
  gmvFen: number;
  /** ⌊paid / orders⌋: the average order as paid */
  avgOrderFen: number;
  daily: SalesDay[];
}

/**
 * Sales of the orders paid in a range of local days, with the same per-order money the
 * order pages show (orders/view.ts): paid = `payableFen + balanceFen`, refunded =
 * `refundedFen + refundedBalanceFen` (completed refunds only), GMV = paid − refunded.
 * Points deductions are not money received and count in neither.
 */
export async function salesOf(db: Db, range: LocalDays): Promise<Sales> {
  const { from, to, timezone } = range;
  const start = sql`((${from}::date)::timestamp at time zone ${timezone})`;
  const end = sql`((${to}::date + 1)::timestamp at time zone ${timezone})`;
  const res = await sql<{ date: string; orders: string; paid: string; refunded: string }>`
    with days as (
      select d::date as date from generate_series(${from}::date, ${to}::date, interval '1 day') d
    ), od as (
      select (paid_at at time zone ${timezone})::date as date, count(*) as orders,
             sum(payable_fen + balance_fen) as paid,
             sum(refunded_fen + refunded_balance_fen) as refunded
        from orders where paid_at >= ${start} and paid_at < ${end} group by 1
    )
    select days.date::text as date, coalesce(od.orders, 0)::text as orders,
           coalesce(od.paid, 0)::text as paid, coalesce(od.refunded, 0)::text as refunded
      from days left join od on od.date = days.date
     order by days.date`.execute(db);
  const daily = res.rows.map((d) => {
    const paidFen = Number(d.paid);
    const refundedFen = Number(d.refunded);
    return {
      date: d.date,
      orders: Number(d.orders),
      paidFen,
      refundedFen,
      gmvFen: paidFen - refundedFen,
    };
  });
  const sum = (f: (d: SalesDay) => number) => daily.reduce((s, d) => s + f(d), 0);
  const orders = sum((d) => d.orders);
  const paidFen = sum((d) => d.paidFen);
  const refundedFen = sum((d) => d.refundedFen);
  return {
    orders,
    paidFen,
    refundedFen,
    gmvFen: paidFen - refundedFen,
    avgOrderFen: orders > 0 ? Math.floor(paidFen / orders) : 0,
    daily,
  };
}
