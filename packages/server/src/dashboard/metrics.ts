import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { salesOf, type LocalDays } from '../orders/sales.ts';
import { queuesReport, rewardsIn } from '../rules/queues-report.ts';
import { usersBalanceTotal } from '../ledger/totals.ts';
import { paidWithdrawalsFen } from '../wallet/totals.ts';

/**
 * The merchant dashboard's numbers, read-only. Days are calendar days in the shop's time
 * zone. Every money figure is read by the function of the page that details it, so the
 * dashboard cannot disagree with that page (docs/web.md has the definitions in words):
 * - sales: orders/sales.ts `salesOf` — orders paid in the range, what they paid, what has
 *   been refunded on them, GMV = paid − refunded (the order pages' own fields);
 * - pending rewards and the queue liability: rules/queues-report.ts `queuesReport`, the
 *   queue page's report;
 * - available balances: ledger/totals.ts, the sum of every shopper's `balanceOf`;
 * - withdrawn: wallet/totals.ts, the withdrawals paid out.
 * Users and the referral funnel are counts: new users registered that day, active users
 * started a session (signed in or up) that day; friends who signed up through a referral
 * in the range, and how many of them have paid an order since.
 */
export interface DashboardDay {
  date: string;
  newUsers: number;
  activeUsers: number;
  orders: number;
  paidFen: number;
  refundedFen: number;
  gmvFen: number;
}

export interface Dashboard {
  from: string;
  to: string;
  timezone: string;
  users: { total: number; new: number; active: number };
  sales: {
    orders: number;
    paidFen: number;
    refundedFen: number;
    gmvFen: number;
    avgOrderFen: number;
  };
  referral: { signUps: number; firstPurchases: number };
  rewards: {
    pendingFen: number;
    availableFen: number;
    withdrawnFen: number;
    pendingPoints: number;
    availablePoints: number;
  };
  queue: { outstandingEntitlementFen: number };
  daily: DashboardDay[];
}

/** YYYY-MM-DD, inclusive, in `timezone` */
export type Range = LocalDays;

const n = (v: unknown) => Number(v ?? 0);

export async function dashboardMetrics(db: Db, range: Range): Promise<Dashboard> {
  const { from, to, timezone } = range;
  // [start, end) as instants: local midnight of `from` up to local midnight after `to`
  const start = sql`((${from}::date)::timestamp at time zone ${timezone})`;
  const end = sql`((${to}::date + 1)::timestamp at time zone ${timezone})`;
  const day = (col: string) => sql`(${sql.ref(col)} at time zone ${timezone})::date`;

  const [users, referral, daily, sales, queues, cash, points, withdrawnFen] = await Promise.all([
    sql<{ total: string; new: string; active: string }>`
      select
        (select count(*) from users where role = 'shopper' and status <> 'deleted') as total,
        (select count(*) from users where role = 'shopper' and created_at >= ${start} and created_at < ${end}) as new,
        (select count(distinct s.user_id) from sessions s join users u on u.id = s.user_id
          where u.role = 'shopper' and s.created_at >= ${start} and s.created_at < ${end}) as active`.execute(
      db,
    ),
    sql<{ sign_ups: string; first_purchases: string }>`
      select count(*) as sign_ups,
             count(*) filter (where exists (select 1 from orders o where o.user_id = u.id and o.paid_at is not null)) as first_purchases
        from users u
       where u.referrer_id is not null and u.referred_at >= ${start} and u.referred_at < ${end}`.execute(
      db,
    ),
    sql<{ date: string; new_users: string; active_users: string }>`
      with days as (
        select d::date as date from generate_series(${from}::date, ${to}::date, interval '1 day') d
      ), nu as (
        select ${day('created_at')} as date, count(*) as c from users
         where role = 'shopper' and created_at >= ${start} and created_at < ${end} group by 1
      ), au as (
        select ${day('s.created_at')} as date, count(distinct s.user_id) as c
          from sessions s join users u on u.id = s.user_id
         where u.role = 'shopper' and s.created_at >= ${start} and s.created_at < ${end} group by 1
      )
      select days.date::text as date, coalesce(nu.c, 0) as new_users, coalesce(au.c, 0) as active_users
        from days left join nu on nu.date = days.date left join au on au.date = days.date
       order by days.date`.execute(db),
    salesOf(db, range),
    queuesReport(db),
    usersBalanceTotal(db, 'cash'),
    usersBalanceTotal(db, 'points'),
    paidWithdrawalsFen(db),
  ]);

  const u = users.rows[0]!;
  const r = referral.rows[0]!;
  const salesByDate = new Map(sales.daily.map((d) => [d.date, d]));
  return {
    from,
    to,
    timezone,
    users: { total: n(u.total), new: n(u.new), active: n(u.active) },
    sales: {
      orders: sales.orders,
      paidFen: sales.paidFen,
      refundedFen: sales.refundedFen,
      gmvFen: sales.gmvFen,
      avgOrderFen: sales.avgOrderFen,
    },
    referral: { signUps: n(r.sign_ups), firstPurchases: n(r.first_purchases) },
    rewards: {
      pendingFen: rewardsIn(queues, 'cash', 'pending'),
      availableFen: cash.available,
      withdrawnFen,
      pendingPoints: rewardsIn(queues, 'points', 'pending'),
      availablePoints: points.available,
    },
    queue: { outstandingEntitlementFen: queues.outstandingFen },
    daily: daily.rows.map((d) => {
      const s = salesByDate.get(d.date);
      return {
        date: d.date,
        newUsers: n(d.new_users),
        activeUsers: n(d.active_users),
        orders: s?.orders ?? 0,
        paidFen: s?.paidFen ?? 0,
        refundedFen: s?.refundedFen ?? 0,
        gmvFen: s?.gmvFen ?? 0,
      };
    }),
  };
}

/** fen → "12.34" by integer arithmetic (CSV cells carry no currency sign). */
export function fenToYuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The daily series as CSV (UTF-8 with BOM so spreadsheet programs read it as UTF-8). */
export function dashboardCsv(d: Dashboard): string {
  const lines = ['date,new_users,active_users,orders,paid_fen,refunded_fen,gmv_fen,gmv_yuan'];
  for (const day of d.daily) {
    lines.push(
      [
        day.date,
        day.newUsers,
        day.activeUsers,
        day.orders,
        day.paidFen,
        day.refundedFen,
        day.gmvFen,
        fenToYuanText(day.gmvFen),
      ].join(','),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function localDate(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** Adds whole days to a YYYY-MM-DD date (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
