import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam, Page } from '../http/schemas.ts';
import { currentUser, STAFF } from '../http/access.ts';
import { idempotentReply } from '../http/idempotent.ts';
import { AppError, unwrap } from '../errors/index.ts';
import { inTxResult } from '../db/tx.ts';
import type { AfterSaleStatus } from '../db/schema-commerce.ts';
import { actorOf, runKeyed } from '../orders/http.ts';
import { afterSaleView, afterSaleViews } from './view.ts';
import { approveAfterSale, cancelAfterSale, rejectAfterSale, requestAfterSale } from './service.ts';
import { executeRefund, recheckRefund } from './refund-call.ts';

const STATUSES: AfterSaleStatus[] = [
  'pending',
  'rejected',
  'cancelled',
  'refunding',
  'manual_review',
  'refunded',
  'failed',
];

async function list(
  deps: AppDeps,
  f: {
    userId?: number;
    status?: AfterSaleStatus;
    orderId?: number;
    page: number;
    pageSize: number;
  },
) {
  let q = deps.db.selectFrom('after_sales');
  if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.orderId) q = q.where('order_id', '=', f.orderId);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const ids = await q
    .select('id')
    .orderBy('id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  const items = await afterSaleViews(
    deps.db,
    ids.map((r) => r.id),
    // a shopper's list is always their own; only staff lists come unfiltered by buyer
    { forStaff: f.userId === undefined },
  );
  return { items, total: Number(total.n), page: f.page, pageSize: f.pageSize };
}

const Filter = Type.Intersect([
  Page,
  Type.Object({
    status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
    orderId: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
]);
const NoteBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export function afterSaleRoutes(app: App, deps: AppDeps) {
  app.post(
    '/api/v1/orders/:id/after-sales',
    {
      config: { access: 'user', idempotent: true },
      schema: {
        tags: ['after-sale'],
        summary:
          'Ask for a refund (退款) or return and refund (退货退款) of some units of my order (idempotent)',
        params: IdParam,
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('refund'), Type.Literal('return_refund')]),
            reason: Type.String({ maxLength: 500 }),
            lines: Type.Array(
              Type.Object(
                {
                  lineId: Type.Integer({ minimum: 1 }),
                  qty: Type.Integer({ minimum: 1, maximum: 999 }),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 50 },
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const me = currentUser(req);
      return idempotentReply(deps, req, reply, async (tx) => {
        const r = unwrap(
          await requestAfterSale(tx, me.id, req.params.id, req.body, deps.clock.now()),
        );
        return { status: 201, body: await afterSaleView(tx, r.id, { forStaff: false }) };
      });
    },
  );

  app.get(
    '/api/v1/after-sales',
    {
      config: { access: 'user' },
      schema: { tags: ['after-sale'], summary: 'My after-sale requests', querystring: Filter },
    },
    async (req) => {
      const { page, pageSize, status, orderId } = req.query;
      return list(deps, { page, pageSize, status, orderId, userId: currentUser(req).id });
    },
  );

  app.get(
    '/api/v1/after-sales/:id',
    {
      config: { access: 'user' },
      schema: { tags: ['after-sale'], summary: 'One of my after-sale requests', params: IdParam },
    },
    async (req) => {
      const v = await afterSaleView(deps.db, req.params.id, { forStaff: false });
      if (!v || v.userId !== currentUser(req).id) throw new AppError('NOT_FOUND');
      return v;
    },
  );

  app.post(
    '/api/v1/after-sales/:id/cancel',
    {
      config: { access: 'user' },
      schema: {
        tags: ['after-sale'],
        summary: 'Withdraw my after-sale request before it is reviewed',
        params: IdParam,
      },
    },
    async (req) => {
      const me = currentUser(req);
      unwrap(
        await inTxResult(deps.db, (tx) =>
          cancelAfterSale(tx, me.id, req.params.id, deps.clock.now()),
        ),
      );
      return afterSaleView(deps.db, req.params.id, { forStaff: false });
    },
  );

  // --- staff console ---
  app.get(
    '/api/v1/admin/after-sales',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin', 'after-sale'],
        summary: 'After-sale requests, newest first',
        querystring: Filter,
      },
    },
    async (req) => list(deps, req.query),
  );

  app.post(
    '/api/v1/admin/after-sales/:id/approve',
    {
      config: { access: STAFF, idempotent: true },
      schema: {
        tags: ['admin', 'after-sale'],
        summary:
          'Approve: the refund goes back through the payment provider; balance and points back to the buyer (idempotent)',
        params: IdParam,
        body: NoteBody,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await runKeyed(
        deps,
        req,
        async (tx) =>
          unwrap(
            await approveAfterSale(tx, actor, req.params.id, req.body.note ?? '', deps.clock.now()),
          ).id,
      );
      // the provider is called after the approval committed; an unknown outcome is retried by a job
      try {
        await executeRefund(deps, req.params.id);
      } catch (e) {
        req.log.error(
          { err: e, afterSaleId: req.params.id },
          'refund call failed; the job will retry',
        );
      }
      return afterSaleView(deps.db, req.params.id, { forStaff: true });
    },
  );

  app.post(
    '/api/v1/admin/after-sales/:id/reject',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin', 'after-sale'],
        summary: 'Reject an after-sale request',
        params: IdParam,
        body: NoteBody,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      unwrap(
        await inTxResult(deps.db, (tx) =>
          rejectAfterSale(tx, actor, req.params.id, req.body.note ?? '', deps.clock.now()),
        ),
      );
      return afterSaleView(deps.db, req.params.id, { forStaff: true });
    },
  );

  app.post(
    '/api/v1/admin/after-sales/:id/recheck',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin', 'after-sale'],
        summary:
          'A refund in manual review: ask the provider again (same out_refund_no), then keep polling',
        params: IdParam,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      unwrap(
        await inTxResult(deps.db, (tx) =>
          recheckRefund(tx, actor, req.params.id, deps.clock.now()),
        ),
      );
      try {
        await executeRefund(deps, req.params.id);
      } catch (e) {
        req.log.error({ err: e, afterSaleId: req.params.id }, 'refund call failed; polls go on');
      }
      return afterSaleView(deps.db, req.params.id, { forStaff: true });
    },
  );
}
