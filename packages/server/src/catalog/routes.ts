import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam, Page, Paged } from '../http/schemas.ts';
import { AppError } from '../errors/index.ts';

const ProductCard = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  subtitle: Type.String(),
  priceFen: Type.Integer(),
  image: Type.Union([Type.String(), Type.Null()]),
  sales: Type.Integer(),
  categoryId: Type.Union([Type.Integer(), Type.Null()]),
});

export function catalogRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/v1/categories',
    { config: { access: 'public' }, schema: { tags: ['catalog'], summary: 'Product categories' } },
    async () => deps.db.selectFrom('categories').select(['id', 'parent_id as parentId', 'name', 'sort']).orderBy('sort').orderBy('id').execute(),
  );

  app.get(
    '/api/v1/products',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'Products on shelf, newest first; search by title, filter by category',
        querystring: Type.Intersect([Page, Type.Object({ q: Type.Optional(Type.String({ maxLength: 60 })), categoryId: Type.Optional(Type.Integer({ minimum: 1 })) })]),
        response: { 200: Paged(ProductCard) },
      },
    },
    async (req) => {
      const { page, pageSize, q, categoryId } = req.query;
      let query = deps.db.selectFrom('products').where('on_shelf', '=', true);
      if (categoryId) query = query.where('category_id', '=', categoryId);
      if (q) query = query.where('title', 'ilike', `%${q.replace(/[\\%_]/g, '\\$&')}%`);
      const [total, rows] = await Promise.all([
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        query
          .select(['id', 'title', 'subtitle', 'price_fen', 'images', 'sales', 'category_id'])
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
      ]);
      return {
        items: rows.map((p) => ({
          id: p.id,
          title: p.title,
          subtitle: p.subtitle,
          priceFen: p.price_fen,
          image: p.images[0] ?? null,
          sales: p.sales,
          categoryId: p.category_id,
        })),
        total: Number(total.n),
        page,
        pageSize,
      };
    },
  );

  app.get(
    '/api/v1/products/:id',
    { config: { access: 'public' }, schema: { tags: ['catalog'], summary: 'A product with its specs (SKUs), price and stock', params: IdParam } },
    async (req) => {
      const p = await deps.db.selectFrom('products').selectAll().where('id', '=', req.params.id).where('on_shelf', '=', true).executeTakeFirst();
      if (!p) throw new AppError('NOT_FOUND');
      const skus = await deps.db.selectFrom('skus').select(['id', 'spec', 'price_fen', 'stock']).where('product_id', '=', p.id).orderBy('id').execute();
      return {
        id: p.id,
        title: p.title,
        subtitle: p.subtitle,
        descriptionHtml: p.description_html,
        images: p.images,
        priceFen: p.price_fen,
        sales: p.sales,
        categoryId: p.category_id,
        skus: skus.map((s) => ({ id: s.id, spec: s.spec, priceFen: s.price_fen, stock: s.stock })),
      };
    },
  );
}
