import type { Tx } from '../db/tx.ts';
import type { Db } from '../db/database.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { err, ok, type Result } from '../errors/index.ts';
import { catalogDb, catalogTx, canonicalSpec, specKey, type CatalogTx } from './db.ts';
import { isAllowedImageUrl, sanitizeHtml } from './description-html.ts';
import type { AdminProductQueryValue, ProductCreateBody, ProductPatchBody } from './schemas.ts';

export interface AdminSku {
  id: number;
  spec: Record<string, string>;
  priceFen: number;
  /** supply price (供货价); staff only, never shown to shoppers */
  costFen: number | null;
  /** priceFen − costFen when the cost is known */
  profitFen: number | null;
  stock: number;
}

export interface AdminProduct {
  id: number;
  title: string;
  subtitle: string;
  categoryId: number | null;
  storeId: number | null;
  supplier: string | null;
  descriptionHtml: string;
  images: string[];
  onShelf: boolean;
  priceFen: number;
  sales: number;
  createdAt: string;
  updatedAt: string;
  skus: AdminSku[];
}

const PRODUCT_COLUMNS = [
  'id',
  'title',
  'subtitle',
  'category_id',
  'store_id',
  'supplier',
  'description_html',
  'images',
  'on_shelf',
  'price_fen',
  'sales',
  'created_at',
  'updated_at',
] as const;

export const skuView = (s: {
  id: number;
  spec: Record<string, string>;
  price_fen: number;
  cost_fen: number | null;
  stock: number;
}): AdminSku => ({
  id: s.id,
  spec: s.spec,
  priceFen: s.price_fen,
  costFen: s.cost_fen,
  profitFen: s.cost_fen === null ? null : s.price_fen - s.cost_fen,
  stock: s.stock,
});

/** A live product with its live SKUs, as the console sees it (cost included). */
export async function loadAdminProduct(
  db: CatalogTx | ReturnType<typeof catalogDb>,
  id: number,
): Promise<AdminProduct | null> {
  const p = await db
    .selectFrom('products')
    .select(PRODUCT_COLUMNS)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!p) return null;
  const skus = await db
    .selectFrom('skus')
    .select(['id', 'spec', 'price_fen', 'cost_fen', 'stock'])
    .where('product_id', '=', id)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return {
    id: p.id,
    title: p.title,
    subtitle: p.subtitle,
    categoryId: p.category_id,
    storeId: p.store_id,
    supplier: p.supplier,
    descriptionHtml: p.description_html,
    images: p.images,
    onShelf: p.on_shelf,
    priceFen: p.price_fen,
    sales: p.sales,
    createdAt: new Date(p.created_at).toISOString(),
    updatedAt: new Date(p.updated_at).toISOString(),
    skus: skus.map(skuView),
  };
}

/** `products.price_fen` is the lowest live SKU price; every SKU write calls this in its transaction. */
export async function refreshProductPrice(
  ctx: CatalogTx,
  productId: number,
  now: Date,
): Promise<void> {
  await ctx
    .updateTable('products')
    .set((eb) => ({
      price_fen: eb.fn.coalesce(
        eb
          .selectFrom('skus')
          .select((e) => e.fn.min('price_fen').as('m'))
          .where('product_id', '=', productId)
          .where('deleted_at', 'is', null),
        'price_fen',
      ),
      updated_at: now,
    }))
    .where('id', '=', productId)
    .execute();
}

/** Checks the references a product makes (category, store, images); locks the category against deletion. */
async function checkRefs(
  tx: Tx,
  input: {
    categoryId?: number | null | undefined;
    storeId?: number | null | undefined;
    images?: string[] | undefined;
  },
): Promise<Result<void>> {
  if (input.categoryId != null) {
    const c = await tx
      .selectFrom('categories')
      .select('id')
      .where('id', '=', input.categoryId)
      .forShare()
      .executeTakeFirst();
    if (!c) return err('CATEGORY_NOT_FOUND', { field: 'categoryId' });
  }
  if (input.storeId != null) {
    const s = await tx
      .selectFrom('stores')
      .select('id')
      .where('id', '=', input.storeId)
      .forShare()
      .executeTakeFirst();
    if (!s) return err('STORE_NOT_FOUND', { field: 'storeId' });
  }
  const bad = (input.images ?? []).findIndex((u) => !isAllowedImageUrl(u));
  if (bad !== -1)
    return err('VALIDATION_FAILED', {
      fields: [
        {
          field: `body.images.${bad}`,
          reason: 'must be an http(s) URL, an /uploads/ image or a PNG/JPEG/WebP/GIF data URL',
        },
      ],
    });
  return ok(undefined);
}

export async function createProduct(
  tx: Tx,
  actor: Actor,
  input: ProductCreateBody,
  now: Date,
): Promise<Result<AdminProduct>> {
  const refs = await checkRefs(tx, input);
  if (!refs.ok) return refs;
  const seen = new Set<string>();
  for (const sku of input.skus) {
    const key = specKey(sku.spec);
    if (seen.has(key)) return err('SKU_SPEC_DUPLICATE', { spec: canonicalSpec(sku.spec) });
    seen.add(key);
  }
  const ctx = catalogTx(tx);
  const p = await ctx
    .insertInto('products')
    .values({
      title: input.title.trim(),
      subtitle: input.subtitle?.trim() ?? '',
      category_id: input.categoryId ?? null,
      store_id: input.storeId ?? null,
      supplier: input.supplier?.trim() ?? null,
      description_html: sanitizeHtml(input.descriptionHtml ?? ''),
      images: JSON.stringify(input.images ?? []),
      on_shelf: input.onShelf ?? false,
      price_fen: Math.min(...input.skus.map((s) => s.priceFen)),
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx
    .insertInto('skus')
    .values(
      input.skus.map((s) => ({
        product_id: p.id,
        spec: JSON.stringify(canonicalSpec(s.spec)),
        price_fen: s.priceFen,
        cost_fen: s.costFen ?? null,
        stock: s.stock,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const product = (await loadAdminProduct(ctx, p.id))!;
  await audit(
    tx,
    actor,
    'product.create',
    { type: 'product', id: p.id },
    {
      title: product.title,
      onShelf: product.onShelf,
      storeId: product.storeId,
      skus: product.skus.map((s) => ({
        id: s.id,
        spec: s.spec,
        priceFen: s.priceFen,
        costFen: s.costFen,
        stock: s.stock,
      })),
    },
    now,
  );
  return ok(product);
}

export async function updateProduct(
  tx: Tx,
  actor: Actor,
  id: number,
  patch: ProductPatchBody,
  now: Date,
): Promise<Result<AdminProduct>> {
  const ctx = catalogTx(tx);
  const before = await ctx
    .selectFrom('products')
    .select(PRODUCT_COLUMNS)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!before) return err('NOT_FOUND');
  const refs = await checkRefs(tx, patch);
  if (!refs.ok) return refs;
  const set = {
    ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
    ...(patch.subtitle !== undefined ? { subtitle: patch.subtitle.trim() } : {}),
    ...(patch.categoryId !== undefined ? { category_id: patch.categoryId } : {}),
    ...(patch.storeId !== undefined ? { store_id: patch.storeId } : {}),
    ...(patch.supplier !== undefined ? { supplier: patch.supplier?.trim() ?? null } : {}),
    ...(patch.descriptionHtml !== undefined
      ? { description_html: sanitizeHtml(patch.descriptionHtml) }
      : {}),
    ...(patch.images !== undefined ? { images: JSON.stringify(patch.images) } : {}),
    ...(patch.onShelf !== undefined ? { on_shelf: patch.onShelf } : {}),
  };
  await ctx
    .updateTable('products')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
  const after = (await loadAdminProduct(ctx, id))!;
  // what changed, old → new (the description by length only: it can be long)
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const pairs: [string, unknown, unknown][] = [
    ['title', before.title, after.title],
    ['subtitle', before.subtitle, after.subtitle],
    ['categoryId', before.category_id, after.categoryId],
    ['storeId', before.store_id, after.storeId],
    ['supplier', before.supplier, after.supplier],
    ['images', before.images, after.images],
    ['onShelf', before.on_shelf, after.onShelf],
    ['descriptionLength', before.description_html.length, after.descriptionHtml.length],
  ];
  for (const [field, from, to] of pairs)
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  if (before.description_html !== after.descriptionHtml)
    changes.description = { from: 'changed', to: 'changed' };
  await audit(tx, actor, 'product.update', { type: 'product', id }, { changes }, now);
  return ok(after);
}

/**
 * Removes a product from the catalog for good. Orders, carts and reviews still name it,
 * so the row stays, off shelf, hidden from the console and the shop.
 */
export async function removeProduct(
  tx: Tx,
  actor: Actor,
  id: number,
  now: Date,
): Promise<Result<{ id: number }>> {
  const ctx = catalogTx(tx);
  const p = await ctx
    .updateTable('products')
    .set({ deleted_at: now, on_shelf: false, updated_at: now })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returning(['id', 'title'])
    .executeTakeFirst();
  if (!p) return err('NOT_FOUND');
  await audit(tx, actor, 'product.remove', { type: 'product', id }, { title: p.title }, now);
  return ok({ id });
}

/** Puts many products on or off shelf at once; unknown or removed ids are reported, not fatal. */
export async function setShelf(
  tx: Tx,
  actor: Actor,
  ids: number[],
  onShelf: boolean,
  now: Date,
): Promise<Result<{ updated: number[]; notFound: number[] }>> {
  const ctx = catalogTx(tx);
  const rows = await ctx
    .updateTable('products')
    .set({ on_shelf: onShelf, updated_at: now })
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .returning('id')
    .execute();
  const updated = rows.map((r) => r.id).sort((a, b) => a - b);
  const found = new Set(updated);
  const notFound = ids.filter((i) => !found.has(i));
  for (const pid of updated)
    await audit(
      tx,
      actor,
      onShelf ? 'product.shelf_on' : 'product.shelf_off',
      { type: 'product', id: pid },
      { bulk: ids.length },
      now,
    );
  return ok({ updated, notFound });
}

export interface AdminProductRow {
  id: number;
  title: string;
  subtitle: string;
  image: string | null;
  categoryId: number | null;
  storeId: number | null;
  supplier: string | null;
  onShelf: boolean;
  priceFen: number;
  maxPriceFen: number;
  minCostFen: number | null;
  stock: number;
  skuCount: number;
  sales: number;
  updatedAt: string;
}

/** The console's product list: on and off shelf, removed ones excluded; search, filters, paging. */
export async function listProductsAdmin(db: Db, query: AdminProductQueryValue) {
  const cdb = catalogDb(db);
  const { page, pageSize, q, categoryId, storeId, onShelf, sort } = query;
  let base = cdb.selectFrom('products').where('deleted_at', 'is', null);
  if (categoryId) base = base.where('category_id', '=', categoryId);
  if (storeId) base = base.where('store_id', '=', storeId);
  if (onShelf !== undefined) base = base.where('on_shelf', '=', onShelf);
  if (q?.trim()) {
    const text = q.trim();
    const like = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
    const asId = /^[0-9]{1,15}$/.test(text) ? Number(text) : null;
    base = base.where((eb) =>
      eb.or([
        eb('title', 'ilike', like),
        eb('supplier', 'ilike', like),
        ...(asId !== null ? [eb('id', '=', asId)] : []),
      ]),
    );
  }
  let listQ = base.select([
    'id',
    'title',
    'subtitle',
    'images',
    'category_id',
    'store_id',
    'supplier',
    'on_shelf',
    'price_fen',
    'sales',
    'updated_at',
  ]);
  if (sort === 'price_asc') listQ = listQ.orderBy('price_fen', 'asc');
  else if (sort === 'price_desc') listQ = listQ.orderBy('price_fen', 'desc');
  else if (sort === 'sales_desc') listQ = listQ.orderBy('sales', 'desc');
  const [total, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    listQ
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  const ids = rows.map((r) => r.id);
  const aggs = ids.length
    ? await cdb
        .selectFrom('skus')
        .select((eb) => [
          'product_id',
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>('stock').as('stock'),
          eb.fn.max('price_fen').as('max_price'),
          eb.fn.min('cost_fen').as('min_cost'),
        ])
        .where('product_id', 'in', ids)
        .where('deleted_at', 'is', null)
        .groupBy('product_id')
        .execute()
    : [];
  const agg = new Map(aggs.map((a) => [a.product_id, a]));
  const items: AdminProductRow[] = rows.map((p) => {
    const a = agg.get(p.id);
    return {
      id: p.id,
      title: p.title,
      subtitle: p.subtitle,
      image: p.images[0] ?? null,
      categoryId: p.category_id,
      storeId: p.store_id,
      supplier: p.supplier,
      onShelf: p.on_shelf,
      priceFen: p.price_fen,
      maxPriceFen: a ? Number(a.max_price) : p.price_fen,
      minCostFen: a?.min_cost == null ? null : Number(a.min_cost),
      stock: a ? Number(a.stock) : 0,
      skuCount: a ? Number(a.n) : 0,
      sales: p.sales,
      updatedAt: new Date(p.updated_at).toISOString(),
    };
  });
  return { items, total: Number(total.n), page, pageSize };
}
