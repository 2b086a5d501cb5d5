import { Type } from '@sinclair/typebox';
import { sql, type Selectable } from 'kysely';
import {
  drawLotteryPctH,
  entitlementAfterDraw,
  lotteryOf,
  buildChain,
  type EntryUnit,
} from '@fanli/engine';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam } from '../http/schemas.ts';
import { currentUser, STAFF } from '../http/access.ts';
import { AppError } from '../errors/index.ts';
import { inTx } from '../db/tx.ts';
import { idempotentReply } from '../http/idempotent.ts';
import { rulesForOrder } from './listener.ts';
import { convertEntry, cryptoRng, lockQueue } from './queues.ts';
import { rulesInForce } from './versions.ts';
import { MemberStatusSchema, memberStatusOf } from './members.ts';
import { queuesReport } from './queues-report.ts';
import type { QueueEntriesTable } from '../db/schema-rules.ts';

/** Positions are exact up to here; past it the page shows this many ahead. */
const POSITION_CAP = 100_000;

export function rulesShopperRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/v1/rewards',
    {
      config: { access: 'user' },
      schema: {
        tags: ['rewards'],
        summary:
          'My rewards: commission, cashback, referral, queue payouts — pending (冻结), available or cancelled',
        querystring: Type.Object({
          state: Type.Optional(
            Type.Union([
              Type.Literal('pending'),
              Type.Literal('available'),
              Type.Literal('cancelled'),
            ]),
          ),
        }),
      },
    },
    async (req) => {
      const me = currentUser(req);
      const rows = await deps.db
        .selectFrom('rewards as r')
        .select([
          'r.id',
          'r.kind',
          'r.asset',
          'r.amount',
          'r.state',
          'r.reason',
          'r.created_at',
          'r.resolved_at',
          'r.source_order_id',
          'r.queue_id',
        ])
        .select((eb) =>
          eb
            .selectFrom('reward_deps as d')
            .innerJoin('orders as o', 'o.id', 'd.order_id')
            .whereRef('d.reward_id', '=', 'r.id')
            // available on the latest window end among its orders; unknown while one is not
            // completed or an open after-sale request holds its window
            .select(
              sql<Date | null>`case when bool_and(o.settled_at is not null or (o.settle_at is not null
                and not exists (select 1 from after_sales a where a.order_id = o.id
                  and a.status in ('pending', 'refunding') and a.created_at < o.settle_at)))
                then max(o.settle_at) end`.as('x'),
            )
            .as('available_at'),
        )
        .where('r.user_id', '=', me.id)
        .$if(req.query.state !== undefined, (q) => q.where('r.state', '=', req.query.state!))
        .orderBy('r.id', 'desc')
        .limit(200)
        .execute();
      const totals = await deps.db
        .selectFrom('rewards')
        .select(['asset', 'state', (eb) => eb.fn.sum<number>('amount').as('sum')])
        .where('user_id', '=', me.id)
        .groupBy(['asset', 'state'])
        .execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          asset: r.asset,
          amount: r.amount,
          state: r.state,
          reason: r.reason,
          createdAt: new Date(r.created_at).toISOString(),
          resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
          availableAt:
            r.state === 'pending' && r.available_at ? new Date(r.available_at).toISOString() : null,
          orderId: r.source_order_id,
          queueId: r.queue_id,
        })),
        totals: totals.map((t) => ({ asset: t.asset, state: t.state, amount: Number(t.sum) })),
      };
    },
  );

  app.get(
    '/api/v1/queue/entries',
    {
      config: { access: 'user' },
      schema: {
        tags: ['queue'],
        summary: 'My queue entries: position, progress, received and waiting, lottery and exchange',
      },
    },
    async (req) => {
      const me = currentUser(req);
      const rules = await rulesInForce(deps.db, deps.clock.now());
      const q = rules.settings.queueRebate;
      // Entries ahead in payout order, in the same statement. Each queue is walked once,
      // from its head to my last waiting entry in it (a range on its (seq, id) index,
      // capped), numbering the waiting entries on the way: a shopper with many entries
      // in one queue costs one walk, not one count per entry.
      const rows = (
        await sql<
          Selectable<QueueEntriesTable> & { available_fen: string | number; ahead: number | null }
        >`
          with mine as (
            select e.* from queue_entries e where e.user_id = ${me.id} order by e.id desc limit 100),
          last as (
            select queue_id, max(array[seq, id]) as upto from mine
             where status = 'waiting' group by queue_id),
          ranked as (
            select w.id, row_number() over (partition by w.queue_id order by w.seq, w.id) - 1 as n
              from last l
              cross join lateral (
                select w.id, w.queue_id, w.seq from queue_entries w
                 where w.queue_id = l.queue_id and w.status = 'waiting'
                   and (w.seq, w.id) <= (l.upto[1], l.upto[2])
                 order by w.seq, w.id
                 limit ${POSITION_CAP + 1}) w)
          select m.*,
                 (select coalesce(sum(r.amount), 0) from rewards r
                   where r.entry_id = m.id and r.state = 'available') as available_fen,
                 case when m.status = 'waiting'
                      then coalesce(least(a.n, ${POSITION_CAP}), ${POSITION_CAP}) end as ahead
            from mine m left join ranked a on a.id = m.id
           order by m.id desc`.execute(deps.db)
      ).rows;
      const items = [];
      for (const e of rows) {
        const ahead = e.ahead === null ? null : Number(e.ahead);
        const units = e.units as EntryUnit[];
        const availableFen = Number(e.available_fen ?? 0);
        items.push({
          id: e.id,
          queueId: q.display.queueId ? e.queue_id : null,
          orderId: e.order_id,
          status: e.status,
          entitlementFen: e.entitlement_fen,
          receivedFen: q.display.accumulated ? e.received_fen : null,
          availableFen: q.display.accumulated ? availableFen : null,
          pendingFen: q.display.pendingAmount ? e.received_fen - availableFen : null,
          waitingFen: q.display.pending ? Math.max(0, e.entitlement_fen - e.received_fen) : null,
          progressPct: q.display.progress
            ? Math.floor((e.received_fen * 100) / e.entitlement_fen)
            : null,
          position: q.display.progress && ahead !== null ? ahead + 1 : null,
          lotteryAvailable:
            e.status === 'waiting' &&
            !e.lottery_drawn &&
            e.received_fen === 0 &&
            units.some((u) => u.lotteryApplies),
          canExchange: e.status === 'waiting',
        });
      }
      return {
        name: q.name,
        exchangeName: q.exchangeName,
        paused: q.paused,
        exchangeRate: q.exchangeRate,
        items,
      };
    },
  );

  app.post(
    '/api/v1/queue/entries/:id/lottery',
    {
      config: { access: 'user' },
      schema: {
        tags: ['queue'],
        summary:
          'Draw the lottery once for an entry that has received nothing yet; the drawn pct replaces the fixed one',
        params: IdParam,
      },
    },
    async (req) => {
      const me = currentUser(req);
      return inTx(deps.db, async (tx) => {
        const e = await tx
          .selectFrom('queue_entries')
          .selectAll()
          .where('id', '=', req.params.id)
          .where('user_id', '=', me.id)
          .executeTakeFirst();
        if (!e) throw new AppError('NOT_FOUND');
        await lockQueue(tx, e.queue_id);
        const fresh = await tx
          .selectFrom('queue_entries')
          .selectAll()
          .where('id', '=', e.id)
          .executeTakeFirstOrThrow();
        const units = fresh.units as EntryUnit[];
        if (
          fresh.status !== 'waiting' ||
          fresh.lottery_drawn ||
          fresh.received_fen > 0 ||
          !units.some((u) => u.lotteryApplies)
        ) {
          throw new AppError('LOTTERY_NOT_AVAILABLE');
        }
        const { settings } = await rulesForOrder(tx, fresh.order_id);
        const lines = await tx
          .selectFrom('order_lines')
          .select('product_id')
          .where('order_id', '=', fresh.order_id)
          .execute();
        const q = settings.queueRebate;
        const productOverride = fresh.queue_id.startsWith('product:')
          ? q.products[fresh.queue_id.slice(8)]
          : undefined;
        const lottery =
          lotteryOf(buildChain(q, productOverride)) ??
          lotteryOf(buildChain(q, q.products[String(lines[0]?.product_id)]));
        if (!lottery) throw new AppError('LOTTERY_NOT_AVAILABLE');
        const drawnPctH = drawLotteryPctH(lottery, cryptoRng);
        const entitlementFen = entitlementAfterDraw(units, drawnPctH);
        await tx
          .updateTable('queue_entries')
          .set({ lottery_drawn: true, entitlement_fen: entitlementFen })
          .where('id', '=', e.id)
          .execute();
        return { id: e.id, drawnPct: drawnPctH / 100, entitlementFen };
      });
    },
  );

  app.post(
    '/api/v1/queue/entries/:id/exchange',
    {
      config: { access: 'user', idempotent: true },
      schema: {
        tags: ['queue'],
        summary:
          'Leave the queue: the remaining entitlement becomes points or voucher value (爱心值) at the set rate',
        params: IdParam,
        body: Type.Object(
          { to: Type.Union([Type.Literal('points'), Type.Literal('voucher')]) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const me = currentUser(req);
      return idempotentReply(deps, req, reply, async (tx) => {
        const now = deps.clock.now();
        const e = await tx
          .selectFrom('queue_entries')
          .select(['id', 'queue_id'])
          .where('id', '=', req.params.id)
          .where('user_id', '=', me.id)
          .executeTakeFirst();
        if (!e) throw new AppError('NOT_FOUND');
        await lockQueue(tx, e.queue_id);
        const left = await tx
          .updateTable('queue_entries')
          .set({ status: 'exchanged' })
          .where('id', '=', e.id)
          .where('status', '=', 'waiting')
          .returning(['id', 'order_id', 'entitlement_fen', 'received_fen'])
          .executeTakeFirst();
        if (!left) throw new AppError('QUEUE_ENTRY_NOT_WAITING');
        const { settings } = await rulesForOrder(tx, left.order_id);
        const to = req.body.to;
        await convertEntry(
          tx,
          settings,
          {
            id: left.id,
            userId: me.id,
            orderId: left.order_id,
            remainingFen: left.entitlement_fen - left.received_fen,
          },
          to,
          to === 'points' ? 'queue.exchange_points' : 'queue.exchange_voucher',
          `qe:${left.id}`,
          now,
        );
        const reward = await tx
          .selectFrom('rewards')
          .select(['asset', 'amount', 'state'])
          .where('key', '=', `qe:${left.id}`)
          .executeTakeFirst();
        return { status: 200, body: { id: left.id, status: 'exchanged', reward: reward ?? null } };
      });
    },
  );

  app.get(
    '/api/v1/referrals/progress',
    {
      config: { access: 'user' },
      schema: {
        tags: ['referral'],
        summary: 'My 推 N 返 M progress: friends counted toward the next reward',
      },
    },
    async (req) => {
      const me = currentUser(req);
      const rules = await rulesInForce(deps.db, deps.clock.now());
      const row = await deps.db
        .selectFrom('referral_progress')
        .select('progress')
        .where('referrer_id', '=', me.id)
        .executeTakeFirst();
      const p = (row?.progress ?? { countedFriends: [], group: [], rewardsEarned: 0 }) as {
        countedFriends: string[];
        group: unknown[];
        rewardsEarned: number;
      };
      const friends = await deps.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('referrer_id', '=', me.id)
        .executeTakeFirstOrThrow();
      return {
        enabled: rules.settings.referral.enabled,
        everyN: rules.settings.referral.everyN,
        inCurrentGroup: p.group.length,
        friendsCounted: p.countedFriends.length,
        friendsBound: Number(friends.n),
        rewardsEarned: p.rewardsEarned,
        reward: rules.settings.referral.reward,
      };
    },
  );

  app.get(
    '/api/v1/me/member',
    {
      config: { access: 'user' },
      schema: {
        tags: ['members'],
        summary:
          'My member level (会员等级) and growth value (成长值), and the growth the next level needs',
        response: { 200: MemberStatusSchema },
      },
    },
    async (req) => memberStatusOf(deps.db, currentUser(req).id, deps.clock.now()),
  );

  app.get(
    '/api/v1/admin/queues',
    {
      config: { access: STAFF },
      schema: {
        tags: ['queue'],
        summary:
          'Every queue: entries waiting and the outstanding liability (entitlement not yet received)',
      },
    },
    async () => queuesReport(deps.db),
  );
}
