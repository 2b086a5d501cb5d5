import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam, Page } from '../http/schemas.ts';
import { currentUser, STAFF } from '../http/access.ts';
import { idempotentReply } from '../http/idempotent.ts';
import { AppError, err, ok, unwrap } from '../errors/index.ts';
import { inTx, inTxResult } from '../db/tx.ts';
import { audit } from '../audit/audit.ts';
import { placeOrder, previewCheckout } from '../checkout/place-order.ts';
import { commerceConfig } from './config.ts';
import { cancelOrder, completeOrder, shipOrder } from './lifecycle.ts';
import { loadOrderView, orderView, ownOrder } from './view.ts';
import { actorOf } from './http.ts';
import { ordersWithOpenAfterSale } from '../after-sale/open.ts';
import { afterSaleViews } from '../after-sale/view.ts';
import type { OrderState } from '../db/schema-commerce.ts';

const STATES: OrderState[] = ['pending_payment', 'paid', 'shipped', 'completed', 'cancelled'];
const StateFilter = Type.Optional(Type.Union(STATES.map((s) => Type.Literal(s))));

const CheckoutFields = {
  items: Type.Array(
    Type.Object(
      { skuId: Type.Integer({ minimum: 1 }), qty: Type.Integer({ minimum: 1, maximum: 999 }) },
      { additionalProperties: false },
    ),
    {
      minItems: 1,
      maxItems: 50,
    },
  ),
  usePoints: Type.Optional(Type.Boolean()),
  maxPoints: Type.Optional(Type.Integer({ minimum: 0 })),
  useBalance: Type.Optional(Type.Boolean()),
  maxBalanceFen: Type.Optional(Type.Integer({ minimum: 0 })),
  couponId: Type.Optional(Type.Integer({ minimum: 1 })),
};

async function listOrders(
  deps: AppDeps,
  filter: { userId?: number; state?: OrderState; q?: string; page: number; pageSize: number },
) {
  let query = deps.db.selectFrom('orders as o');
  if (filter.userId !== undefined) query = query.where('o.user_id', '=', filter.userId);
  if (filter.state) query = query.where('o.state', '=', filter.state);
  if (filter.q) {
    const q = filter.q;
    query = query.where((eb) =>
      eb.or([
        eb('o.order_no', '=', q),
        eb('o.user_id', 'in', eb.selectFrom('users').select('id').where('phone', '=', q)),
      ]),
    );
  }
  const total = await query
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .selectAll('o')
    .orderBy('o.id', 'desc')
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize)
    .execute();
  const ids = rows.map((r) => r.id);
  const [lines, open] = await Promise.all([
    ids.length
      ? deps.db
          .selectFrom('order_lines')
          .selectAll()
          .where('order_id', 'in', ids)
          .orderBy('id')
          .execute()
      : [],
    ordersWithOpenAfterSale(deps.db, ids),
  ]);
  return {
    items: rows.map((o) =>
      orderView(
        o,
        lines.filter((l) => l.order_id === o.id),
        open.has(o.id),
      ),
    ),
    total: Number(total.n),
    page: filter.page,
    pageSize: filter.pageSize,
  };
}

/** Shopper order routes: every object check answers 404 for another shopper's order. */
export function orderRoutes(app: App, deps: AppDeps) {
  app.post(
    '/api/v1/checkout/preview',
    {
      config: { access: 'user' },
      schema: {
        tags: ['orders'],
        summary:
          'Price an order without placing it: items → member → coupon → points → balance → payable, per line',
        body: Type.Object(CheckoutFields, { additionalProperties: false }),
      },
    },
    async (req) => {
      const me = currentUser(req);
      return unwrap(
        await inTxResult(deps.db, (tx) =>
          previewCheckout(
            tx,
            commerceConfig(deps),
            { ...req.body, userId: me.id },
            deps.clock.now(),
          ),
        ),
      );
    },
  );

  app.post(
    '/api/v1/orders',
    {
      config: { access: 'user', idempotent: true },
      schema: {
        tags: ['orders'],
        summary:
          'Place an order (idempotent): reserves stock, points and balance; unpaid orders are cancelled after the pay deadline',
        body: Type.Object(
          {
            ...CheckoutFields,
            addressId: Type.Integer({ minimum: 1 }),
            note: Type.Optional(Type.String({ maxLength: 200 })),
            fromCart: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const me = currentUser(req);
      return idempotentReply(deps, req, reply, async (tx) => {
        const placed = unwrap(
          await placeOrder(
            tx,
            commerceConfig(deps),
            { ...req.body, userId: me.id },
            deps.clock.now(),
          ),
        );
        return { status: 201, body: orderView(placed.order, placed.lines) };
      });
    },
  );

  app.get(
    '/api/v1/orders',
    {
      config: { access: 'user' },
      schema: {
        tags: ['orders'],
        summary: 'My orders, newest first',
        querystring: Type.Intersect([Page, Type.Object({ state: StateFilter })]),
      },
    },
    async (req) => {
      // the caller's own id, named last and alone: nothing from the request can replace it
      const { page, pageSize, state } = req.query;
      return listOrders(deps, { page, pageSize, state, userId: currentUser(req).id });
    },
  );

  app.get(
    '/api/v1/orders/:id',
    {
      config: { access: 'user' },
      schema: { tags: ['orders'], summary: 'One of my orders', params: IdParam },
    },
    async (req) => {
      const me = currentUser(req);
      const o = await ownOrder(deps.db, req.params.id, me.id);
      if (!o) throw new AppError('NOT_FOUND');
      return loadOrderView(deps.db, o.id);
    },
  );

  app.post(
    '/api/v1/orders/:id/cancel',
    {
      config: { access: 'user' },
      schema: {
        tags: ['orders'],
        summary: 'Cancel my unpaid order (stock, points and balance released)',
        params: IdParam,
      },
    },
    async (req) => {
      const me = currentUser(req);
      const r = await inTxResult(deps.db, async (tx) => {
        if (!(await ownOrder(tx, req.params.id, me.id))) return err('NOT_FOUND');
        return cancelOrder(tx, req.params.id, 'buyer', deps.clock.now());
      });
      unwrap(r);
      return loadOrderView(deps.db, req.params.id);
    },
  );

  app.post(
    '/api/v1/orders/:id/complete',
    {
      config: { access: 'user' },
      schema: {
        tags: ['orders'],
        summary: 'Confirm receipt of my shipped order (确认收货)',
        params: IdParam,
      },
    },
    async (req) => {
      const me = currentUser(req);
      const r = await inTxResult(deps.db, async (tx) => {
        if (!(await ownOrder(tx, req.params.id, me.id))) return err('NOT_FOUND');
        return completeOrder(tx, commerceConfig(deps), req.params.id, deps.clock.now());
      });
      unwrap(r);
      return loadOrderView(deps.db, req.params.id);
    },
  );
}

/** Staff console: list/search orders, read any order, ship. */
export function orderAdminRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/v1/admin/orders',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin', 'orders'],
        summary: 'Orders, newest first; filter by state, search by order number or buyer phone',
        querystring: Type.Intersect([
          Page,
          Type.Object({
            state: StateFilter,
            q: Type.Optional(Type.String({ maxLength: 40 })),
            userId: Type.Optional(Type.Integer({ minimum: 1 })),
          }),
        ]),
      },
    },
    async (req) => listOrders(deps, req.query),
  );

  app.get(
    '/api/v1/admin/orders/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin', 'orders'],
        summary: 'Any order, with its payments and after-sales',
        params: IdParam,
      },
    },
    async (req) => {
      const o = await loadOrderView(deps.db, req.params.id);
      if (!o) throw new AppError('NOT_FOUND');
      const [payments, afterSales] = await Promise.all([
        deps.db
          .selectFrom('payments')
          .select([
            'id',
            'provider',
            'out_trade_no',
            'amount_fen',
            'status',
            'provider_trade_no',
            'created_at',
            'paid_at',
            'orphan_refund_no',
          ])
          .where('order_id', '=', o.id)
          .orderBy('id')
          .execute(),
        deps.db
          .selectFrom('after_sales')
          .select('id')
          .where('order_id', '=', o.id)
          .orderBy('id')
          .execute()
          .then((rows) =>
            afterSaleViews(
              deps.db,
              rows.map((r) => r.id),
              { forStaff: true },
            ),
          ),
      ]);
      return { ...o, payments, afterSales };
    },
  );

  app.post(
    '/api/v1/admin/orders/:id/ship',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin', 'orders'],
        summary: 'Ship a paid order (发货)',
        params: IdParam,
        body: Type.Object(
          {
            carrier: Type.String({ minLength: 1, maxLength: 40 }),
            trackingNo: Type.String({ minLength: 1, maxLength: 60 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      const r = await inTxResult(deps.db, async (tx) => {
        const exists = await tx
          .selectFrom('orders')
          .select('id')
          .where('id', '=', req.params.id)
          .executeTakeFirst();
        if (!exists) return err('NOT_FOUND');
        const shipped = await shipOrder(tx, commerceConfig(deps), req.params.id, req.body, now);
        if (!shipped.ok) return shipped;
        await audit(tx, actor, 'order.ship', { type: 'order', id: req.params.id }, req.body, now);
        return ok(shipped.value);
      });
      unwrap(r);
      return inTx(deps.db, (tx) => loadOrderView(tx, req.params.id));
    },
  );
}
