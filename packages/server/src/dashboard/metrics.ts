import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * The merchant dashboard's numbers, read-only. Days are calendar days in the shop's time
 * zone. Definitions (docs/web.md has them in words):
 * - new users: shoppers who registered that day; active users: shoppers who started a
 *   session (signed in or signed up) that day;
 * - orders / GMV: orders paid that day; GMV = paid by the gateway + paid from balance
 *   (`payable_fen + balance_fen`), before refunds; average order = ⌊GMV / orders⌋;
 * - referral funnel: friends who signed up through a referral in the range, and how many
 *   of them have paid an order since (shares are not recorded by the server);
 * - rewards, balances and queue liability are a snapshot of the ledger now.
 */
export interface DashboardDay {
  date: string;
  newUsers: number;
  activeUsers: number;
  orders: number;
  gmvFen: number;
}

export interface Dashboard {
  from: string;
  to: string;
  timezone: string;
  users: { total: number; new: number; active: number };
  sales: { gmvFen: number; orders: number; avgOrderFen: number };
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

export interface Range {
  /** YYYY-MM-DD, inclusive, in `timezone` */
  from: string;
  to: string;
  timezone: string;
}

const n = (v: unknown) => Number(v ?? 0);

export async function dashboardMetrics(db: Db, range: Range): Promise<Dashboard> {
  const { from, to, timezone } = range;
  // [start, end) as instants: local midnight of `from` up to local midnight after `to`
  const start = sql`((${from}::date)::timestamp at time zone ${timezone})`;
  const end = sql`((${to}::date + 1)::timestamp at time zone ${timezone})`;
  const day = (col: string) => sql`(${sql.ref(col)} at time zone ${timezone})::date`;

  const [users, sales, referral, rewards, daily] = await Promise.all([
    sql<{ total: string; new: string; active: string }>`
      select
        (select count(*) from users where role = 'shopper' and status <> 'deleted') as total,
        (select count(*) from users where role = 'shopper' and created_at >= ${start} and created_at < ${end}) as new,
        (select count(distinct s.user_id) from sessions s join users u on u.id = s.user_id
          where u.role = 'shopper' and s.created_at >= ${start} and s.created_at < ${end}) as active`.execute(
      db,
    ),
    sql<{ orders: string; gmv: string }>`
      select count(*) as orders, coalesce(sum(payable_fen + balance_fen), 0) as gmv
        from orders where paid_at >= ${start} and paid_at < ${end}`.execute(db),
    sql<{ sign_ups: string; first_purchases: string }>`
      select count(*) as sign_ups,
             count(*) filter (where exists (select 1 from orders o where o.user_id = u.id and o.paid_at is not null)) as first_purchases
        from users u
       where u.referrer_id is not null and u.referred_at >= ${start} and u.referred_at < ${end}`.execute(
      db,
    ),
    sql<{
      pending_fen: string;
      available_fen: string;
      withdrawn_fen: string;
      pending_points: string;
      available_points: string;
      entitlement: string;
    }>`
      select
        (select coalesce(sum(t.amount), 0) from ledger_transfers t
          where t.kind = 'pending' and t.asset = 'cash' and t.reason like 'reward.%'
            and not exists (select 1 from ledger_transfers r where r.pending_id = t.id)) as pending_fen,
        (select coalesce(sum(t.amount), 0) from ledger_transfers t
          where t.kind = 'pending' and t.asset = 'points' and t.reason like 'reward.%'
            and not exists (select 1 from ledger_transfers r where r.pending_id = t.id)) as pending_points,
        (select coalesce(sum(credits_posted - debits_posted - debits_pending), 0) from ledger_accounts
          where owner_type = 'user' and asset = 'cash') as available_fen,
        (select coalesce(sum(credits_posted - debits_posted - debits_pending), 0) from ledger_accounts
          where owner_type = 'user' and asset = 'points') as available_points,
        (select coalesce(sum(credits_posted - debits_posted), 0) from ledger_accounts
          where owner_type = 'user' and asset = 'entitlement') as entitlement,
        (select coalesce(sum(amount), 0) from ledger_transfers
          where reason = 'withdrawal' and asset = 'cash' and kind in ('posted', 'post_pending')) as withdrawn_fen`.execute(
      db,
    ),
    sql<{ date: string; new_users: string; active_users: string; orders: string; gmv: string }>`
      with days as (
        select d::date as date from generate_series(${from}::date, ${to}::date, interval '1 day') d
      ), nu as (
        select ${day('created_at')} as date, count(*) as c from users
         where role = 'shopper' and created_at >= ${start} and created_at < ${end} group by 1
      ), au as (
        select ${day('s.created_at')} as date, count(distinct s.user_id) as c
          from sessions s join users u on u.id = s.user_id
         where u.role = 'shopper' and s.created_at >= ${start} and s.created_at < ${end} group by 1
      ), od as (
        select ${day('paid_at')} as date, count(*) as c, sum(payable_fen + balance_fen) as gmv from orders
         where paid_at >= ${start} and paid_at < ${end} group by 1
      )
      select days.date::text as date, coalesce(nu.c, 0) as new_users, coalesce(au.c, 0) as active_users,
             coalesce(od.c, 0) as orders, coalesce(od.gmv, 0) as gmv
        from days left join nu on nu.date = days.date left join au on au.date = days.date
        left join od on od.date = days.date
       order by days.date`.execute(db),
  ]);

  const u = users.rows[0]!;
  const s = sales.rows[0]!;
  const r = referral.rows[0]!;
  const w = rewards.rows[0]!;
  const orders = n(s.orders);
  const gmvFen = n(s.gmv);
  return {
    from,
    to,
    timezone,
    users: { total: n(u.total), new: n(u.new), active: n(u.active) },
    sales: { gmvFen, orders, avgOrderFen: orders > 0 ? Math.floor(gmvFen / orders) : 0 },
    referral: { signUps: n(r.sign_ups), firstPurchases: n(r.first_purchases) },
    rewards: {
      pendingFen: n(w.pending_fen),
      availableFen: n(w.available_fen),
      withdrawnFen: n(w.withdrawn_fen),
      pendingPoints: n(w.pending_points),
      availablePoints: n(w.available_points),
    },
    queue: { outstandingEntitlementFen: n(w.entitlement) },
    daily: daily.rows.map((d) => ({
      date: d.date,
      newUsers: n(d.new_users),
      activeUsers: n(d.active_users),
      orders: n(d.orders),
      gmvFen: n(d.gmv),
    })),
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
  const lines = ['date,new_users,active_users,orders,gmv_fen,gmv_yuan'];
  for (const day of d.daily) {
    lines.push(
      [
        day.date,
        day.newUsers,
        day.activeUsers,
        day.orders,
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
