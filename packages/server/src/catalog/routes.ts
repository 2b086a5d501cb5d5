import { Type, type Static } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam, Page, Paged } from '../http/schemas.ts';
import { AppError } from '../errors/index.ts';
import { catalogAdminRoutes } from './admin-routes.ts';
import { catalogDb } from './db.ts';
import { uploadRoutes } from './uploads.ts';
import { TtlCache } from './ttl-cache.ts';

/**
 * How long a page of the shop's list is reused. Writes through this server clear it at
 * once; a change made elsewhere (another process, `sales` after an order) shows within
 * this time. Product detail is always read fresh.
 */
const LIST_TTL_MS = 1000;
/**
 * The total of a list (per category and search) changes only when products go on or off
 * the shelf, and every page of it shares one: it is kept longer than the pages, so a
 * page not seen for a second costs one query, not two.
 */
const COUNT_TTL_MS = 10_000;

const ProductCard = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  subtitle: Type.String(),
  priceFen: Type.Integer(),
  image: Type.Union([Type.String(), Type.Null()]),
  sales: Type.Integer(),
  categoryId: Type.Union([Type.Integer(), Type.Null()]),
});

const ShopPage = Paged(ProductCard);

/**
 * One page of on-shelf products, newest first: the page comes from the (on_shelf, id)
 * or (category_id, id) WHERE on_shelf index; only the title search scans.
 */
async function shopPage(
  deps: AppDeps,
  counts: TtlCache<number>,
  f: { page: number; pageSize: number; q?: string | undefined; categoryId?: number | undefined },
): Promise<Static<typeof ShopPage>> {
  let query = deps.db.selectFrom('products').where('on_shelf', '=', true);
  if (f.categoryId) query = query.where('category_id', '=', f.categoryId);
  if (f.q) query = query.where('title', 'ilike', `%${f.q.replace(/[\\%_]/g, '\\$&')}%`);
  const countKey = JSON.stringify([f.categoryId ?? null, f.q ?? null]);
  const [total, rows] = await Promise.all([
    counts.get(countKey, async () =>
      Number(
        (await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
      ),
    ),
    query
      .select(['id', 'title', 'subtitle', 'price_fen', 'images', 'sales', 'category_id'])
      .orderBy('id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
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
    total,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/**
 * What shoppers see. The response schemas are the allow-list of fields: supply price
 * (cost_fen), supplier and removed SKUs never leave the server on these routes.
 */
const ProductDetail = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  subtitle: Type.String(),
  descriptionHtml: Type.String(),
  images: Type.Array(Type.String()),
  priceFen: Type.Integer(),
  sales: Type.Integer(),
  categoryId: Type.Union([Type.Integer(), Type.Null()]),
  skus: Type.Array(
    Type.Object({
      id: Type.Integer(),
      spec: Type.Record(Type.String(), Type.String()),
      priceFen: Type.Integer(),
      stock: Type.Integer(),
    }),
  ),
});

export async function catalogRoutes(app: App, deps: AppDeps) {
  const listings = new TtlCache<Static<typeof ShopPage>>(LIST_TTL_MS);
  const counts = new TtlCache<number>(COUNT_TTL_MS);
  await app.register(async (scope) => {
    // any successful catalog write shows in the shop's list at once
    scope.addHook('onResponse', async (req, reply) => {
      if (req.method !== 'GET' && req.method !== 'HEAD' && reply.statusCode < 400) {
        listings.clear();
        counts.clear();
      }
    });
    catalogAdminRoutes(scope as App, deps);
  });
  // raw image bodies are accepted only inside this scope
  await app.register(async (scope) => uploadRoutes(scope as App, deps));

  app.get(
    '/api/v1/categories',
    { config: { access: 'public' }, schema: { tags: ['catalog'], summary: 'Product categories' } },
    async () =>
      deps.db
        .selectFrom('categories')
        .select(['id', 'parent_id as parentId', 'name', 'sort'])
        .orderBy('sort')
        .orderBy('id')
        .execute(),
  );

  app.get(
    '/api/v1/products',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'Products on shelf, newest first; search by title, filter by category',
        querystring: Type.Intersect([
          Page,
          Type.Object({
            q: Type.Optional(Type.String({ maxLength: 60 })),
            categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
          }),
        ]),
        response: { 200: ShopPage },
      },
    },
    async (req) => {
      const { page, pageSize, q, categoryId } = req.query;
      const key = JSON.stringify([page, pageSize, categoryId ?? null, q ?? null]);
      return listings.get(key, () => shopPage(deps, counts, { page, pageSize, q, categoryId }));
    },
  );

  app.get(
    '/api/v1/products/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'A product with its specs (SKUs), price and stock',
        params: IdParam,
        response: { 200: ProductDetail },
      },
    },
    async (req) => {
      const p = await deps.db
        .selectFrom('products')
        .select([
          'id',
          'title',
          'subtitle',
          'description_html',
          'images',
          'price_fen',
          'sales',
          'category_id',
        ])
        .where('id', '=', req.params.id)
        .where('on_shelf', '=', true)
        .executeTakeFirst();
      if (!p) throw new AppError('NOT_FOUND');
      const skus = await catalogDb(deps.db)
        .selectFrom('skus')
        .select(['id', 'spec', 'price_fen', 'stock'])
        .where('product_id', '=', p.id)
        .where('deleted_at', 'is', null)
        .orderBy('id')
        .execute();
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
