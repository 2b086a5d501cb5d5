import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam } from '../http/schemas.ts';
import { AppError } from '../errors/index.ts';
import { publicUser } from '../auth/service.ts';
import { balanceOf, userAccount } from '../ledger/index.ts';
import { addDays, dashboardCsv, dashboardMetrics, localDate, type Range } from './metrics.ts';
import { STAFF } from '../http/access.ts';

/** The shop's calendar: days in charts and CSV are days in this zone. */
export const DASHBOARD_TIMEZONE = 'Asia/Shanghai';
const MAX_DAYS = 366;
const DEFAULT_DAYS = 30;

const DateText = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'YYYY-MM-DD in Asia/Shanghai',
});
const RangeQuery = Type.Object({ from: Type.Optional(DateText), to: Type.Optional(DateText) });

function resolveRange(deps: AppDeps, q: { from?: string; to?: string }): Range {
  const valid = (d: string) =>
    !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
    new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  const to = q.to ?? localDate(deps.clock.now(), DASHBOARD_TIMEZONE);
  // an invalid `to` is reported below, not turned into a RangeError here
  const from = q.from ?? (valid(to) ? addDays(to, -(DEFAULT_DAYS - 1)) : to);
  const fields: { field: string; reason: string }[] = [];
  if (!valid(from)) fields.push({ field: 'querystring.from', reason: 'not a calendar date' });
  if (!valid(to)) fields.push({ field: 'querystring.to', reason: 'not a calendar date' });
  if (fields.length === 0 && from > to)
    fields.push({ field: 'querystring.from', reason: 'must not be after to' });
  if (fields.length === 0 && addDays(from, MAX_DAYS - 1) < to)
    fields.push({ field: 'querystring.from', reason: `the range is at most ${MAX_DAYS} days` });
  if (fields.length) throw new AppError('VALIDATION_FAILED', { fields });
  return { from, to, timezone: DASHBOARD_TIMEZONE };
}

const Day = Type.Object({
  date: Type.String(),
  newUsers: Type.Integer(),
  activeUsers: Type.Integer(),
  orders: Type.Integer(),
  paidFen: Type.Integer(),
  refundedFen: Type.Integer(),
  gmvFen: Type.Integer(),
});
const DashboardSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  timezone: Type.String(),
  users: Type.Object({ total: Type.Integer(), new: Type.Integer(), active: Type.Integer() }),
  sales: Type.Object({
    orders: Type.Integer(),
    paidFen: Type.Integer({ description: 'paid by the orders paid in the range' }),
    refundedFen: Type.Integer({ description: 'refunded on those orders so far' }),
    gmvFen: Type.Integer({ description: 'GMV = paidFen − refundedFen' }),
    avgOrderFen: Type.Integer({ description: '⌊paidFen / orders⌋' }),
  }),
  referral: Type.Object({ signUps: Type.Integer(), firstPurchases: Type.Integer() }),
  rewards: Type.Object({
    pendingFen: Type.Integer(),
    availableFen: Type.Integer(),
    withdrawnFen: Type.Integer(),
    pendingPoints: Type.Integer(),
    availablePoints: Type.Integer(),
  }),
  queue: Type.Object({ outstandingEntitlementFen: Type.Integer() }),
  daily: Type.Array(Day),
});

/**
 * The merchant dashboard (read-only): counts and money for a date range, a daily series
 * for the charts, the same series as CSV, and one user's referral tree with balances.
 */
export function dashboardRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/v1/admin/dashboard',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin'],
        summary:
          'Dashboard: users, sales (paid, refunded, GMV = paid − refunded, orders, average order), referral funnel, rewards, queue liability and a daily series (default: last 30 days)',
        querystring: RangeQuery,
        response: { 200: DashboardSchema },
      },
    },
    async (req) => dashboardMetrics(deps.db, resolveRange(deps, req.query)),
  );

  app.get(
    '/api/v1/admin/dashboard/export.csv',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin'],
        summary: 'The dashboard daily series as CSV (UTF-8)',
        querystring: RangeQuery,
      },
    },
    async (req, reply) => {
      const range = resolveRange(deps, req.query);
      const csv = dashboardCsv(await dashboardMetrics(deps.db, range));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="fanli-dashboard-${range.from}-${range.to}.csv"`,
        )
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  app.get(
    '/api/v1/admin/dashboard/users/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin'],
        summary: "A user's referral tree (referrer and referred friends) and wallet balances",
        params: IdParam,
      },
    },
    async (req) => {
      const u = await deps.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', req.params.id)
        .where('status', '<>', 'deleted')
        .executeTakeFirst();
      if (!u) throw new AppError('NOT_FOUND');
      const referrer = u.referrer_id
        ? await deps.db
            .selectFrom('users')
            .selectAll()
            .where('id', '=', u.referrer_id)
            .executeTakeFirst()
        : undefined;
      const friends = await deps.db
        .selectFrom('users as f')
        .selectAll('f')
        .select((eb) =>
          eb
            .selectFrom('orders as o')
            .select((e) => e.fn.min('o.paid_at').as('first_paid_at'))
            .whereRef('o.user_id', '=', 'f.id')
            .as('first_paid_at'),
        )
        .where('f.referrer_id', '=', u.id)
        .orderBy('f.id', 'desc')
        .limit(500)
        .execute();
      const [cash, points, voucher] = await Promise.all(
        (['cash', 'points', 'voucher'] as const).map((a) =>
          balanceOf(deps.db, userAccount(u.id, a)),
        ),
      );
      return {
        user: { ...publicUser(u), status: u.status },
        referrer: referrer ? { ...publicUser(referrer), status: referrer.status } : null,
        friends: friends.map((f) => ({
          ...publicUser(f),
          status: f.status,
          referredAt: f.referred_at ? new Date(f.referred_at).toISOString() : null,
          firstPaidAt: f.first_paid_at
            ? new Date(f.first_paid_at as unknown as string).toISOString()
            : null,
        })),
        balances: { cash: cash!, points: points!, voucher: voucher! },
      };
    },
  );
}
