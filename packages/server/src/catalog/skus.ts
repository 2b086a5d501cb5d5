import { sql } from 'kysely';
import type { Tx } from '../db/tx.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { err, ok, type Result } from '../errors/index.ts';
import { catalogTx, canonicalSpec, specKey, type CatalogTx } from './db.ts';
import { refreshProductPrice, skuView, type AdminSku } from './products.ts';
import type { SkuCreateBody, SkuPatchBody } from './schemas.ts';

/**
 * Locks a live product row. Every SKU write of a product takes this lock first, so its
 * duplicate-spec check and its lowest-price refresh see the other writers' results.
 */
async function lockProduct(ctx: CatalogTx, productId: number) {
  return ctx
    .selectFrom('products')
    .select(['id'])
    .where('id', '=', productId)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

async function specTaken(
  ctx: CatalogTx,
  productId: number,
  spec: Record<string, string>,
  exceptSkuId?: number,
): Promise<boolean> {
  const live = await ctx
    .selectFrom('skus')
    .select(['id', 'spec'])
    .where('product_id', '=', productId)
    .where('deleted_at', 'is', null)
    .execute();
  const key = specKey(spec);
  return live.some((s) => s.id !== exceptSkuId && specKey(s.spec) === key);
}

/** The live SKU and its product id, or null. */
async function findSku(ctx: CatalogTx, skuId: number) {
  return ctx
    .selectFrom('skus')
    .select(['id', 'product_id'])
    .where('id', '=', skuId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function addSku(
  tx: Tx,
  actor: Actor,
  productId: number,
  input: SkuCreateBody,
  now: Date,
): Promise<Result<AdminSku>> {
  const ctx = catalogTx(tx);
  if (!(await lockProduct(ctx, productId))) return err('NOT_FOUND');
  if (await specTaken(ctx, productId, input.spec))
    return err('SKU_SPEC_DUPLICATE', { spec: canonicalSpec(input.spec) });
  const s = await ctx
    .insertInto('skus')
    .values({
      product_id: productId,
      spec: JSON.stringify(canonicalSpec(input.spec)),
      price_fen: input.priceFen,
      cost_fen: input.costFen ?? null,
      stock: input.stock,
      created_at: now,
      updated_at: now,
    })
    .returning(['id', 'spec', 'price_fen', 'cost_fen', 'stock'])
    .executeTakeFirstOrThrow();
  await refreshProductPrice(ctx, productId, now);
  const sku = skuView(s);
  await audit(
    tx,
    actor,
    'sku.create',
    { type: 'sku', id: s.id },
    { productId, spec: sku.spec, priceFen: sku.priceFen, costFen: sku.costFen, stock: sku.stock },
    now,
  );
  return ok(sku);
}

export async function updateSku(
  tx: Tx,
  actor: Actor,
  skuId: number,
  patch: SkuPatchBody,
  now: Date,
): Promise<Result<AdminSku>> {
  const ctx = catalogTx(tx);
  const found = await findSku(ctx, skuId);
  if (!found || !(await lockProduct(ctx, found.product_id))) return err('NOT_FOUND');
  const before = await ctx
    .selectFrom('skus')
    .select(['id', 'spec', 'price_fen', 'cost_fen', 'stock', 'deleted_at'])
    .where('id', '=', skuId)
    .executeTakeFirstOrThrow();
  if (before.deleted_at !== null) return err('NOT_FOUND'); // removed while we waited for the lock
  if (patch.spec !== undefined && (await specTaken(ctx, found.product_id, patch.spec, skuId)))
    return err('SKU_SPEC_DUPLICATE', { spec: canonicalSpec(patch.spec) });
  const s = await ctx
    .updateTable('skus')
    .set({
      ...(patch.spec !== undefined ? { spec: JSON.stringify(canonicalSpec(patch.spec)) } : {}),
      ...(patch.priceFen !== undefined ? { price_fen: patch.priceFen } : {}),
      ...(patch.costFen !== undefined ? { cost_fen: patch.costFen } : {}),
      updated_at: now,
    })
    .where('id', '=', skuId)
    .returning(['id', 'spec', 'price_fen', 'cost_fen', 'stock'])
    .executeTakeFirstOrThrow();
  await refreshProductPrice(ctx, found.product_id, now);
  await audit(
    tx,
    actor,
    'sku.update',
    { type: 'sku', id: skuId },
    {
      productId: found.product_id,
      before: { spec: before.spec, priceFen: before.price_fen, costFen: before.cost_fen },
      after: { spec: s.spec, priceFen: s.price_fen, costFen: s.cost_fen },
    },
    now,
  );
  return ok(skuView(s));
}

/**
 * Removes a SKU from sale. The row stays (order lines and carts name it) with its stock
 * set to 0; a product keeps at least one SKU.
 */
export async function removeSku(
  tx: Tx,
  actor: Actor,
  skuId: number,
  now: Date,
): Promise<Result<{ id: number }>> {
  const ctx = catalogTx(tx);
  const found = await findSku(ctx, skuId);
  if (!found || !(await lockProduct(ctx, found.product_id))) return err('NOT_FOUND');
  const live = await ctx
    .selectFrom('skus')
    .select(['id', 'stock'])
    .where('product_id', '=', found.product_id)
    .where('deleted_at', 'is', null)
    .execute();
  const target = live.find((s) => s.id === skuId);
  if (!target) return err('NOT_FOUND');
  if (live.length <= 1) return err('SKU_LAST_ONE');
  const removed = await ctx
    .updateTable('skus')
    .set({ deleted_at: now, stock: 0, updated_at: now })
    .where('id', '=', skuId)
    .returning(['spec'])
    .executeTakeFirstOrThrow();
  await refreshProductPrice(ctx, found.product_id, now);
  await audit(
    tx,
    actor,
    'sku.remove',
    { type: 'sku', id: skuId },
    { productId: found.product_id, spec: removed.spec, stockDropped: target.stock },
    now,
  );
  return ok({ id: skuId });
}

/**
 * Moves a SKU's stock by `delta` in one atomic statement: `stock = stock + delta` only
 * where the result stays ≥ 0, so concurrent sales and adjustments can never oversell.
 * Returns the new stock, or null when the SKU is gone or the stock is too low.
 * For any capability that sells or restocks goods (checkout, cancellations, refunds).
 *
 * @example
 * const left = await adjustStock(tx, skuId, -2); // null → not enough stock
 */
export async function adjustStock(tx: Tx, skuId: number, delta: number): Promise<number | null> {
  const row = await catalogTx(tx)
    .updateTable('skus')
    .set({ stock: sql<number>`stock + ${delta}` })
    .where('id', '=', skuId)
    .where('deleted_at', 'is', null)
    .where(sql<boolean>`stock + ${delta} >= 0`)
    .returning('stock')
    .executeTakeFirst();
  return row ? row.stock : null;
}

/** The console's stock adjustment (入库 / 盘点): atomic, audited with its reason. */
export async function adjustSkuStock(
  tx: Tx,
  actor: Actor,
  skuId: number,
  delta: number,
  reason: string | undefined,
  now: Date,
): Promise<Result<{ id: number; stock: number }>> {
  const stock = await adjustStock(tx, skuId, delta);
  if (stock === null) {
    const exists = await findSku(catalogTx(tx), skuId);
    return exists ? err('STOCK_BELOW_ZERO') : err('NOT_FOUND');
  }
  await audit(
    tx,
    actor,
    'sku.stock_adjust',
    { type: 'sku', id: skuId },
    { delta, stock, reason: reason ?? null },
    now,
  );
  return ok({ id: skuId, stock });
}
