import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffUser, testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { inTx } from '../db/tx.ts';
import { adjustStock } from './skus.ts';
import { stockOf as stockOfSku } from '../orders/testing.ts';

/**
 * Stock is a limit: many concurrent takers (HTTP adjustments and direct use-case calls,
 * on separate connections under PostgreSQL) can never push it below zero.
 */
let t: TestApp;
let staff: Caller;

beforeAll(async () => {
  t = await testApp();
  staff = await staffUser(t, 'staff');
});
afterAll(async () => t.close());

async function newSku(stock: number): Promise<number> {
  const res = await staff.request({
    method: 'POST',
    url: '/api/v1/admin/products',
    payload: { title: '秒杀商品', skus: [{ spec: {}, priceFen: 100, costFen: 50, stock }] },
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { skus: { id: number }[] }).skus[0]!.id;
}

const stockOf = (skuId: number) => stockOfSku(t, skuId);

describe(`concurrent stock adjustments (${DB_KIND})`, () => {
  it('40 concurrent −1 requests on a stock of 15: exactly 15 succeed, stock ends at 0', async () => {
    const id = await newSku(15);
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        staff.request({
          method: 'POST',
          url: `/api/v1/admin/skus/${id}/stock`,
          payload: { delta: -1 },
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(15);
    expect(codes.filter((c) => c === 409)).toHaveLength(25);
    expect(await stockOf(id)).toBe(0);
    // every success saw a distinct stock level on the way down
    const seen = results
      .filter((r) => r.statusCode === 200)
      .map((r) => (r.json() as { stock: number }).stock);
    expect(new Set(seen).size).toBe(15);
    expect(Math.min(...seen)).toBe(0);
    const audits = await t.deps.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'sku.stock_adjust')
      .where('object_id', '=', String(id))
      .execute();
    expect(audits).toHaveLength(15);
  });

  it('mixed concurrent takes and restocks, each in its own transaction: never negative, and the books add up', async () => {
    const id = await newSku(5);
    const deltas = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 2 : -3));
    const outcomes = await Promise.all(
      deltas.map((d) => inTx(t.deps.db, (tx) => adjustStock(tx, id, d))),
    );
    for (const left of outcomes) if (left !== null) expect(left).toBeGreaterThanOrEqual(0);
    const applied = deltas.reduce((sum, d, i) => sum + (outcomes[i] === null ? 0 : d), 0);
    expect(await stockOf(id)).toBe(5 + applied);
    expect(await stockOf(id)).toBeGreaterThanOrEqual(0);
    // restocks never fail; some takes did (there were more takes than stock)
    expect(deltas.every((d, i) => d < 0 || outcomes[i] !== null)).toBe(true);
    expect(outcomes.some((o) => o === null)).toBe(true);
  });

  it('a removed SKU sells nothing, even when stock comes back to it', async () => {
    const id = await newSku(3);
    const product = await t.deps.db
      .selectFrom('skus')
      .select('product_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await staff.request({
      method: 'POST',
      url: `/api/v1/admin/products/${product.product_id}/skus`,
      payload: { spec: { 款: '新' }, priceFen: 100, stock: 1 },
    });
    expect(
      (await staff.request({ method: 'DELETE', url: `/api/v1/admin/skus/${id}` })).statusCode,
    ).toBe(200);
    // e.g. an unpaid order cancelled after the removal releases its stock with a raw UPDATE
    await inTx(t.deps.db, (tx) =>
      tx.updateTable('skus').set({ stock: 2 }).where('id', '=', id).execute(),
    );
    expect(await stockOf(id)).toBe(0);
    expect(await inTx(t.deps.db, (tx) => adjustStock(tx, id, -1))).toBeNull();
  });
});

describe(`concurrent SKU edits keep the product's lowest price (${DB_KIND})`, () => {
  it('20 SKUs added and re-priced at once: price_fen is the lowest live price', async () => {
    const create = await staff.request({
      method: 'POST',
      url: '/api/v1/admin/products',
      payload: { title: '多规格', skus: [{ spec: { 号: '0' }, priceFen: 10_000, stock: 1 }] },
    });
    const product = create.json() as { id: number; skus: { id: number }[] };
    const adds = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        staff.request({
          method: 'POST',
          url: `/api/v1/admin/products/${product.id}/skus`,
          payload: { spec: { 号: String(i + 1) }, priceFen: 5_000 + i * 10, stock: 1 },
        }),
      ),
    );
    expect(adds.every((r) => r.statusCode === 201)).toBe(true);
    const ids = adds.map((r) => (r.json() as { id: number }).id);
    await Promise.all([
      ...ids.slice(0, 10).map((id, i) =>
        staff.request({
          method: 'PATCH',
          url: `/api/v1/admin/skus/${id}`,
          payload: { priceFen: 9_000 + i },
        }),
      ),
      ...ids
        .slice(10, 15)
        .map((id) => staff.request({ method: 'DELETE', url: `/api/v1/admin/skus/${id}` })),
    ]);
    const live = await t.deps.db
      .selectFrom('skus')
      .select('price_fen')
      .where('product_id', '=', product.id)
      .where('stock', '>', 0)
      .execute();
    const row = await t.deps.db
      .selectFrom('products')
      .select('price_fen')
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(row.price_fen).toBe(Math.min(...live.map((s) => s.price_fen)));
    expect(row.price_fen).toBe(5_150);
  });
});
