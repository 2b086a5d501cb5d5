import { Type } from '@sinclair/typebox';
import { sql, type ExpressionBuilder } from 'kysely';
import type { App, AppDeps } from '../http/deps.ts';
import { currentUser } from '../http/access.ts';
import { AppError } from '../errors/index.ts';
import { inTx } from '../db/tx.ts';
import type { DB } from '../db/schema.ts';
import { lockUser } from '../users/lock.ts';

const SkuParam = Type.Object({
  skuId: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }),
});
const Qty = Type.Integer({ minimum: 1, maximum: 999 });
const MAX_CART_LINES = 100;

/** The cart: one row per SKU, keyed by the signed-in user, so nobody can touch another's. */
export function cartRoutes(app: App, deps: AppDeps) {
  const list = async (userId: number) => {
    const rows = await deps.db
      .selectFrom('cart_items as c')
      .innerJoin('skus as s', 's.id', 'c.sku_id')
      .innerJoin('products as p', 'p.id', 's.product_id')
      .select([
        'c.sku_id',
        'c.qty',
        's.product_id',
        's.spec',
        's.price_fen',
        's.stock',
        'p.title',
        'p.images',
        'p.on_shelf',
      ])
      .where('c.user_id', '=', userId)
      .orderBy('c.created_at')
      .orderBy('c.sku_id')
      .execute();
    const items = rows.map((r) => ({
      skuId: r.sku_id,
      productId: r.product_id,
      title: r.title,
      spec: r.spec,
      image: r.images[0] ?? null,
      unitPriceFen: r.price_fen,
      qty: r.qty,
      subtotalFen: r.price_fen * r.qty,
      available: r.on_shelf && r.stock >= r.qty,
      stock: r.stock,
    }));
    return {
      items,
      totalFen: items.filter((i) => i.available).reduce((s, i) => s + i.subtotalFen, 0),
    };
  };

  const ensureSku = async (skuId: number) => {
    const s = await deps.db
      .selectFrom('skus as s')
      .innerJoin('products as p', 'p.id', 's.product_id')
      .select('s.id')
      .where('s.id', '=', skuId)
      .where('p.on_shelf', '=', true)
      .executeTakeFirst();
    if (!s) throw new AppError('SKU_NOT_AVAILABLE');
  };

  app.get(
    '/api/v1/cart',
    {
      config: { access: 'user' },
      schema: { tags: ['cart'], summary: 'My cart with current prices and availability' },
    },
    async (req) => list(currentUser(req).id),
  );

  app.post(
    '/api/v1/cart/items',
    {
      config: { access: 'user' },
      schema: {
        tags: ['cart'],
        summary: 'Add units of a SKU to my cart',
        body: Type.Object(
          { skuId: Type.Integer({ minimum: 1 }), qty: Qty },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const me = currentUser(req);
      await ensureSku(req.body.skuId);
      const now = deps.clock.now();
      const added = await inTx(deps.db, async (tx) => {
        // one request per user at a time, so the line limit holds under concurrency
        if (!(await lockUser(tx, me.id))) throw new AppError('UNAUTHENTICATED');
        const mine = (eb: ExpressionBuilder<DB, never>) =>
          eb.selectFrom('cart_items').where('user_id', '=', me.id);
        return tx
          .insertInto('cart_items')
          .columns(['user_id', 'sku_id', 'qty', 'created_at', 'updated_at'])
          .expression(
            tx
              .selectNoFrom((eb) => [
                eb.val(me.id).as('user_id'),
                eb.val(req.body.skuId).as('sku_id'),
                eb.val(req.body.qty).as('qty'),
                eb.val(now).as('created_at'),
                eb.val(now).as('updated_at'),
              ])
              // a new line only below the limit; more units of a line already there always
              .where((eb) =>
                eb.or([
                  eb(
                    mine(eb).select((c) => c.fn.countAll().as('n')),
                    '<',
                    MAX_CART_LINES,
                  ),
                  eb.exists(mine(eb).select('sku_id').where('sku_id', '=', req.body.skuId)),
                ]),
              ),
          )
          .onConflict((oc) =>
            oc.columns(['user_id', 'sku_id']).doUpdateSet({
              qty: sql`least(cart_items.qty + excluded.qty, 999)`,
              updated_at: now,
            }),
          )
          .returning('sku_id')
          .executeTakeFirst();
      });
      if (!added) throw new AppError('CART_FULL');
      return list(me.id);
    },
  );

  app.put(
    '/api/v1/cart/items/:skuId',
    {
      config: { access: 'user' },
      schema: {
        tags: ['cart'],
        summary: 'Set the quantity of a SKU in my cart',
        params: SkuParam,
        body: Type.Object({ qty: Qty }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const me = currentUser(req);
      const done = await deps.db
        .updateTable('cart_items')
        .set({ qty: req.body.qty, updated_at: deps.clock.now() })
        .where('user_id', '=', me.id)
        .where('sku_id', '=', req.params.skuId)
        .returning('sku_id')
        .executeTakeFirst();
      if (!done) throw new AppError('NOT_FOUND');
      return list(me.id);
    },
  );

  app.delete(
    '/api/v1/cart/items/:skuId',
    {
      config: { access: 'user' },
      schema: { tags: ['cart'], summary: 'Remove a SKU from my cart', params: SkuParam },
    },
    async (req) => {
      const me = currentUser(req);
      await deps.db
        .deleteFrom('cart_items')
        .where('user_id', '=', me.id)
        .where('sku_id', '=', req.params.skuId)
        .execute();
      return list(me.id);
    },
  );
}
