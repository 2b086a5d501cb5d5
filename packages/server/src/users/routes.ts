import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam, Page, Paged } from '../http/schemas.ts';
import { currentUser, isStaff } from '../http/access.ts';
import { AppError, pickLang } from '../errors/index.ts';
import { publicUser } from '../auth/service.ts';
import { balancesOf, type Asset } from '../ledger/index.ts';
import { describeReason } from '../ledger/reasons.ts';
import { upcomingExpiries } from '../rules/points-lots.ts';

const ASSETS: Asset[] = ['cash', 'points', 'voucher'];

const BalanceSchema = Type.Object({
  available: Type.Integer(),
  pendingIn: Type.Integer(),
  pendingOut: Type.Integer(),
});

const PointsExpirySchema = Type.Object({
  upcoming: Type.Array(
    Type.Object({
      date: Type.String({ description: 'local date (shop time zone) the points expire on' }),
      expiresAt: Type.String(),
      points: Type.Integer(),
    }),
    { description: 'the next expiry dates of my points if I spend nothing, soonest first' },
  ),
  expiringSoon: Type.Integer({ description: 'points expiring within `soonDays` days' }),
  soonDays: Type.Integer(),
});

export function userRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/v1/users/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['users'],
        summary: "A user's profile: yourself, or anyone for merchant staff",
        params: IdParam,
      },
    },
    async (req) => {
      const me = currentUser(req);
      // Another shopper's id answers exactly like an id that does not exist.
      if (req.params.id !== me.id && !isStaff(me)) throw new AppError('NOT_FOUND');
      const u = await deps.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', req.params.id)
        .executeTakeFirst();
      if (!u || u.status === 'deleted') throw new AppError('NOT_FOUND');
      return publicUser(u);
    },
  );

  app.get(
    '/api/v1/wallet',
    {
      config: { access: 'user' },
      schema: {
        tags: ['wallet'],
        summary:
          'My balances: cash (fen), points, voucher value — available, pending (冻结) and reserved; when my points expire',
        response: {
          200: Type.Object({
            cash: BalanceSchema,
            points: BalanceSchema,
            voucher: BalanceSchema,
            pointsExpiry: PointsExpirySchema,
          }),
        },
      },
    },
    async (req) => {
      const me = currentUser(req);
      const { cash, points, voucher } = await balancesOf(deps.db, 'user', me.id, ASSETS);
      const pointsExpiry = await upcomingExpiries(deps.db, me.id, deps.clock.now(), {
        reservedPoints: points.pendingOut,
      });
      return { cash, points, voucher, pointsExpiry };
    },
  );

  app.get(
    '/api/v1/wallet/history',
    {
      config: { access: 'user' },
      schema: {
        tags: ['wallet'],
        summary: 'Every movement of my cash, points and vouchers, newest first, in plain words',
        querystring: Type.Intersect([
          Page,
          Type.Object({ asset: Type.Optional(Type.Union(ASSETS.map((a) => Type.Literal(a)))) }),
        ]),
        response: {
          200: Paged(
            Type.Object({
              id: Type.Integer(),
              at: Type.String(),
              asset: Type.String(),
              amount: Type.Integer({ description: 'positive: in; negative: out' }),
              state: Type.Union([
                Type.Literal('pending'),
                Type.Literal('done'),
                Type.Literal('cancelled'),
                Type.Literal('reserved'),
                Type.Literal('released'),
              ]),
              reason: Type.String(),
              description: Type.String(),
              source: Type.Union([Type.String(), Type.Null()]),
            }),
          ),
        },
      },
    },
    async (req) => {
      const me = currentUser(req);
      const lang = pickLang(req.headers['accept-language']);
      const { page, pageSize, asset } = req.query;
      const accounts = await deps.db
        .selectFrom('ledger_accounts')
        .select(['id', 'asset'])
        .where('owner_type', '=', 'user')
        .where('owner_id', '=', String(me.id))
        .$if(asset !== undefined, (q) => q.where('asset', '=', asset!))
        .execute();
      if (accounts.length === 0) return { items: [], total: 0, page, pageSize };
      const ids = accounts.map((a) => a.id);
      // One line per original transfer (pending or posted); its state follows any later post/void.
      const base = deps.db
        .selectFrom('ledger_transfers as t')
        .where('t.kind', 'in', ['posted', 'pending'])
        .where((eb) =>
          eb.or([eb('t.debit_account_id', 'in', ids), eb('t.credit_account_id', 'in', ids)]),
        );
      const total = await base
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const rows = await base
        .leftJoin('ledger_transfers as r', 'r.pending_id', 't.id')
        .select([
          't.id',
          't.kind',
          't.asset',
          't.amount',
          't.reason',
          't.created_at',
          't.source_type',
          't.source_id',
          't.debit_account_id',
          'r.kind as resolution',
        ])
        .orderBy('t.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      const items = rows.map((r) => {
        const outgoing = ids.includes(r.debit_account_id);
        const state =
          r.kind === 'posted' || r.resolution === 'post_pending'
            ? 'done'
            : r.resolution === 'void_pending'
              ? outgoing
                ? 'released'
                : 'cancelled'
              : outgoing
                ? 'reserved'
                : 'pending';
        return {
          id: r.id,
          at: new Date(r.created_at).toISOString(),
          asset: r.asset,
          amount: outgoing ? -r.amount : r.amount,
          state: state as 'pending' | 'done' | 'cancelled' | 'reserved' | 'released',
          reason: r.reason,
          description: describeReason(r.reason, lang),
          source: r.source_type ? `${r.source_type}:${r.source_id}` : null,
        };
      });
      return { items, total: Number(total.n), page, pageSize };
    },
  );

  app.get(
    '/api/v1/referrals',
    {
      config: { access: 'user' },
      schema: {
        tags: ['referral'],
        summary: 'My referral code and the friends I brought (masked)',
      },
    },
    async (req) => {
      const me = currentUser(req);
      const u = await deps.db
        .selectFrom('users')
        .select(['referral_code'])
        .where('id', '=', me.id)
        .executeTakeFirstOrThrow();
      const friends = await deps.db
        .selectFrom('users')
        .select(['nickname', 'referred_at'])
        .where('referrer_id', '=', me.id)
        .orderBy('id', 'desc')
        .limit(200)
        .execute();
      return {
        referralCode: u.referral_code,
        shareUrl: `${deps.config.publicUrl}/?ref=${u.referral_code}`,
        friends: friends.map((f) => ({
          nickname: f.nickname.length > 1 ? `${f.nickname[0]}**` : '**',
          joinedAt: f.referred_at ? new Date(f.referred_at).toISOString() : null,
        })),
      };
    },
  );
}
