import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam, Page } from '../http/schemas.ts';
import { currentUser } from '../http/access.ts';
import { AppError } from '../errors/index.ts';

/** Masks a nickname for public display: 张三丰 → 张*丰, ab → a*. */
export function maskNickname(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '匿名';
  if (chars.length <= 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(Math.min(3, chars.length - 2))}${chars[chars.length - 1]}`;
}

/**
 * Reviews: a buyer rates (1–5) each line of a completed order once. The text is stored
 * raw and returned as plain text: the client escapes it when displaying.
 */
export function reviewRoutes(app: App, deps: AppDeps) {
  app.post(
    '/api/v1/orders/:id/reviews',
    {
      config: { access: 'user' },
      schema: {
        tags: ['reviews'],
        summary: 'Review a line of my completed order',
        params: IdParam,
        body: Type.Object(
          {
            lineId: Type.Integer({ minimum: 1 }),
            rating: Type.Integer({ minimum: 1, maximum: 5 }),
            content: Type.String({ maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const me = currentUser(req);
      const line = await deps.db
        .selectFrom('order_lines as l')
        .innerJoin('orders as o', 'o.id', 'l.order_id')
        .select(['l.id', 'l.product_id', 'l.sku_id', 'o.state', 'o.id as order_id'])
        .where('o.id', '=', req.params.id)
        .where('o.user_id', '=', me.id)
        .where('l.id', '=', req.body.lineId)
        .executeTakeFirst();
      if (!line) throw new AppError('NOT_FOUND');
      if (line.state !== 'completed') throw new AppError('REVIEW_NOT_ALLOWED');
      const row = await deps.db
        .insertInto('reviews')
        .values({
          order_id: line.order_id,
          order_line_id: line.id,
          product_id: line.product_id,
          sku_id: line.sku_id,
          user_id: me.id,
          rating: req.body.rating,
          content: req.body.content,
          created_at: deps.clock.now(),
        })
        .onConflict((oc) => oc.column('order_line_id').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new AppError('REVIEW_EXISTS');
      return reply.status(201).send({
        id: row.id,
        rating: row.rating,
        content: row.content,
        createdAt: row.created_at.toISOString(),
      });
    },
  );

  app.get(
    '/api/v1/products/:id/reviews',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reviews', 'catalog'],
        summary: "A product's reviews (newest first) with the average rating",
        params: IdParam,
        querystring: Page,
      },
    },
    async (req) => {
      const { page, pageSize } = req.query;
      const summary = await deps.db
        .selectFrom('reviews')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.avg<number>('rating').as('avg')])
        .where('product_id', '=', req.params.id)
        .executeTakeFirstOrThrow();
      const rows = await deps.db
        .selectFrom('reviews as r')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .innerJoin('order_lines as l', 'l.id', 'r.order_line_id')
        .select(['r.id', 'r.rating', 'r.content', 'r.created_at', 'u.nickname', 'l.spec'])
        .where('r.product_id', '=', req.params.id)
        .orderBy('r.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      const count = Number(summary.n);
      return {
        count,
        averageRating: count ? Math.round(Number(summary.avg) * 10) / 10 : null,
        items: rows.map((r) => ({
          id: r.id,
          rating: r.rating,
          content: r.content,
          spec: r.spec,
          author: maskNickname(r.nickname),
          createdAt: r.created_at.toISOString(),
        })),
        page,
        pageSize,
      };
    },
  );
}
