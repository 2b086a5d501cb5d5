import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpShopper, staffUser, testApp, type Caller, type TestApp } from '../../test/app.ts';

/**
 * Catalog administration through HTTP on a real database (PGlite, or PostgreSQL with
 * DATABASE_URL): who may call it, what it writes, what shoppers then see.
 */
let t: TestApp;
let staff: Caller;
let admin: Caller;
let shopper: Caller;
let cashier: Caller;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fanli-catalog-'));
  t = await testApp({ dataDir });
  staff = await staffUser(t, 'staff');
  admin = await staffUser(t, 'admin');
  cashier = await staffUser(t, 'cashier');
  shopper = await signUpShopper(t);
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const auditActions = async (objectType: string, objectId: number | string) =>
  (
    await t.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'detail'])
      .where('object_type', '=', objectType)
      .where('object_id', '=', String(objectId))
      .orderBy('id')
      .execute()
  ).map((r) => r.action);

const sku = (
  spec: Record<string, string>,
  priceFen: number,
  costFen: number | null,
  stock: number,
) => ({ spec, priceFen, costFen, stock });

async function newProduct(body: Record<string, unknown> = {}) {
  const res = await staff.request({
    method: 'POST',
    url: '/api/v1/admin/products',
    payload: { title: '纯棉T恤', skus: [sku({ 颜色: '红', 尺码: 'L' }, 5900, 3000, 10)], ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as {
    id: number;
    priceFen: number;
    skus: {
      id: number;
      priceFen: number;
      costFen: number | null;
      stock: number;
      profitFen: number | null;
    }[];
  } & Record<string, unknown>;
}

describe('who may manage the catalog', () => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/v1/admin/categories'],
    ['POST', '/api/v1/admin/categories', { name: 'x' }],
    ['PATCH', '/api/v1/admin/categories/1', { name: 'x' }],
    ['DELETE', '/api/v1/admin/categories/1'],
    ['GET', '/api/v1/admin/products'],
    ['GET', '/api/v1/admin/products/1'],
    ['POST', '/api/v1/admin/products', { title: 'x', skus: [sku({}, 1, null, 1)] }],
    ['PATCH', '/api/v1/admin/products/1', { title: 'x' }],
    ['DELETE', '/api/v1/admin/products/1'],
    ['POST', '/api/v1/admin/products/shelf', { ids: [1], onShelf: true }],
    ['POST', '/api/v1/admin/products/1/skus', sku({ a: 'b' }, 1, null, 1)],
    ['PATCH', '/api/v1/admin/skus/1', { priceFen: 1 }],
    ['DELETE', '/api/v1/admin/skus/1'],
    ['POST', '/api/v1/admin/skus/1/stock', { delta: 1 }],
  ];

  it('refuses anonymous callers (401), shoppers and cashiers (403)', async () => {
    for (const [method, url, payload] of routes) {
      const opts = {
        method: method as 'GET',
        url,
        ...(payload ? { payload: payload as object } : {}),
      };
      expect((await t.app.inject(opts)).statusCode, `${method} ${url} anonymous`).toBe(401);
      expect((await shopper.request(opts)).statusCode, `${method} ${url} shopper`).toBe(403);
      expect((await cashier.request(opts)).statusCode, `${method} ${url} cashier`).toBe(403);
    }
    // nothing was written by the refused calls
    expect(await t.deps.db.selectFrom('categories').select('id').execute()).toEqual([]);
  });

  it('lets staff and admins in', async () => {
    expect((await staff.request({ method: 'GET', url: '/api/v1/admin/products' })).statusCode).toBe(
      200,
    );
    expect(
      (await admin.request({ method: 'GET', url: '/api/v1/admin/categories' })).statusCode,
    ).toBe(200);
  });
});

describe('categories', () => {
  it('are created, moved, re-sorted and deleted, each change audited', async () => {
    const post = (payload: object) =>
      staff.request({ method: 'POST', url: '/api/v1/admin/categories', payload });
    const clothes = (await post({ name: '服装', sort: 2 })).json() as { id: number };
    const men = await post({ name: '男装', parentId: clothes.id });
    expect(men.statusCode).toBe(201);
    const menId = (men.json() as { id: number }).id;
    expect(men.json()).toMatchObject({
      parentId: clothes.id,
      name: '男装',
      sort: 0,
      productCount: 0,
    });
    const shirts = (await post({ name: '衬衫', parentId: menId })).json() as { id: number };

    expect((await post({ name: '孤儿', parentId: 999_999 })).json()).toMatchObject({
      code: 'CATEGORY_NOT_FOUND',
    });
    expect((await post({ name: '   ' })).statusCode).toBe(400);

    // a category cannot go under itself or under one of its descendants
    const patch = (id: number, payload: object) =>
      staff.request({ method: 'PATCH', url: `/api/v1/admin/categories/${id}`, payload });
    expect((await patch(clothes.id, { parentId: clothes.id })).json()).toMatchObject({
      code: 'CATEGORY_CYCLE',
    });
    expect((await patch(clothes.id, { parentId: shirts.id })).json()).toMatchObject({
      code: 'CATEGORY_CYCLE',
    });
    const moved = await patch(shirts.id, { parentId: clothes.id, sort: 5, name: '衬衣' });
    expect(moved.json()).toMatchObject({ parentId: clothes.id, sort: 5, name: '衬衣' });
    expect((await patch(shirts.id, { parentId: null })).json()).toMatchObject({ parentId: null });
    expect((await patch(999_999, { name: 'x' })).statusCode).toBe(404);

    // not empty: a subcategory, then a product
    const del = (id: number) =>
      staff.request({ method: 'DELETE', url: `/api/v1/admin/categories/${id}` });
    expect((await del(clothes.id)).json()).toMatchObject({ code: 'CATEGORY_NOT_EMPTY' });
    const p = await newProduct({ categoryId: menId });
    expect((await del(menId)).json()).toMatchObject({ code: 'CATEGORY_NOT_EMPTY' });
    const list = (
      await staff.request({ method: 'GET', url: '/api/v1/admin/categories' })
    ).json() as { id: number; productCount: number }[];
    expect(list.find((c) => c.id === menId)?.productCount).toBe(1);
    await staff.request({
      method: 'PATCH',
      url: `/api/v1/admin/products/${p.id}`,
      payload: { categoryId: null },
    });
    expect((await del(menId)).statusCode).toBe(200);
    expect((await del(menId)).statusCode).toBe(404);

    expect(await auditActions('category', clothes.id)).toEqual(['category.create']);
    expect(await auditActions('category', menId)).toEqual(['category.create', 'category.delete']);
    expect(await auditActions('category', shirts.id)).toEqual([
      'category.create',
      'category.update',
      'category.update',
    ]);
    // the public list shows the tree as it is now
    const pub = (await t.app.inject({ method: 'GET', url: '/api/v1/categories' })).json() as {
      id: number;
    }[];
    expect(pub.map((c) => c.id)).not.toContain(menId);
  });
});

describe('products and SKUs', () => {
  it('creates a product with SKUs: lowest price, sanitized description, cost visible to staff only', async () => {
    const p = await newProduct({
      title: '  运动鞋  ',
      subtitle: '轻便',
      supplier: '莆田供应链',
      descriptionHtml:
        '<p onclick="steal()">舒适<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">看</a></p>',
      images: ['https://cdn.example/a.jpg', `/uploads/${'b'.repeat(64)}.png`],
      skus: [
        sku({ 尺码: '42' }, 29900, 18000, 3),
        sku({ 尺码: '41' }, 25900, 17000, 0),
        sku({ 尺码: '43' }, 31900, null, 5),
      ],
    });
    expect(p).toMatchObject({
      title: '运动鞋',
      priceFen: 25900,
      onShelf: false,
      supplier: '莆田供应链',
    });
    expect(p.descriptionHtml).toBe('<p>舒适<img><a rel="noopener noreferrer">看</a></p>');
    expect(p.skus.map((s) => [s.priceFen, s.costFen, s.profitFen, s.stock])).toEqual([
      [29900, 18000, 11900, 3],
      [25900, 17000, 8900, 0],
      [31900, null, null, 5],
    ]);
    const row = await t.deps.db
      .selectFrom('products')
      .select(['price_fen', 'description_html'])
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(row.price_fen).toBe(25900);
    expect(row.description_html).not.toMatch(/script|onerror|onclick|javascript/);
    expect(await auditActions('product', p.id)).toEqual(['product.create']);

    // off shelf: invisible to shoppers
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/products/${p.id}` })).statusCode,
    ).toBe(404);
    expect(
      (
        await shopper.request({
          method: 'PATCH',
          url: `/api/v1/admin/products/${p.id}`,
          payload: { onShelf: true },
        })
      ).statusCode,
    ).toBe(403);
    const on = await staff.request({
      method: 'PATCH',
      url: `/api/v1/admin/products/${p.id}`,
      payload: { onShelf: true },
    });
    expect(on.json()).toMatchObject({ onShelf: true });

    // on shelf: the shopper's view carries no supply price and no supplier
    const pub = await shopper.request({ method: 'GET', url: `/api/v1/products/${p.id}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.body).not.toMatch(/cost|supplier|莆田|18000|17000|profit/i);
    expect(pub.json()).toMatchObject({
      id: p.id,
      priceFen: 25900,
      skus: [{ priceFen: 29900, stock: 3 }, { priceFen: 25900 }, { priceFen: 31900 }],
    });
    const anon = await t.app.inject({
      method: 'GET',
      url: `/api/v1/products?q=${encodeURIComponent('运动')}`,
    });
    expect(anon.body).not.toMatch(/cost|supplier/i);
    expect((anon.json() as { items: { id: number }[] }).items.map((i) => i.id)).toContain(p.id);
  });

  it('keeps products.price_fen at the lowest live SKU price through SKU changes', async () => {
    const p = await newProduct({
      skus: [sku({ 颜色: '红' }, 5000, 2000, 10), sku({ 颜色: '蓝' }, 6000, 2500, 10)],
    });
    const price = async () =>
      (
        await t.deps.db
          .selectFrom('products')
          .select('price_fen')
          .where('id', '=', p.id)
          .executeTakeFirstOrThrow()
      ).price_fen;
    expect(await price()).toBe(5000);

    const added = await staff.request({
      method: 'POST',
      url: `/api/v1/admin/products/${p.id}/skus`,
      payload: sku({ 颜色: '绿' }, 4500, 2000, 1),
    });
    expect(added.statusCode).toBe(201);
    const green = added.json() as { id: number };
    expect(await price()).toBe(4500);

    const red = p.skus[0]!.id;
    const edited = await staff.request({
      method: 'PATCH',
      url: `/api/v1/admin/skus/${red}`,
      payload: { priceFen: 3900, costFen: null },
    });
    expect(edited.json()).toMatchObject({
      id: red,
      priceFen: 3900,
      costFen: null,
      profitFen: null,
    });
    expect(await price()).toBe(3900);

    expect(
      (await staff.request({ method: 'DELETE', url: `/api/v1/admin/skus/${red}` })).statusCode,
    ).toBe(200);
    expect(await price()).toBe(4500);
    expect(
      (await staff.request({ method: 'DELETE', url: `/api/v1/admin/skus/${green.id}` })).statusCode,
    ).toBe(200);
    expect(await price()).toBe(6000);
    // the last SKU stays
    const last = await staff.request({
      method: 'DELETE',
      url: `/api/v1/admin/skus/${p.skus[1]!.id}`,
    });
    expect(last.statusCode).toBe(409);
    expect(last.json()).toMatchObject({ code: 'SKU_LAST_ONE' });

    // removed SKUs keep their rows (orders name them) with no stock, and are hidden
    const removed = await t.deps.db
      .selectFrom('skus')
      .select(['id', 'stock'])
      .where('id', '=', red)
      .executeTakeFirstOrThrow();
    expect(removed.stock).toBe(0);
    const detail = (
      await staff.request({ method: 'GET', url: `/api/v1/admin/products/${p.id}` })
    ).json() as { skus: { id: number }[] };
    expect(detail.skus.map((s) => s.id)).toEqual([p.skus[1]!.id]);
    expect(
      (
        await staff.request({
          method: 'PATCH',
          url: `/api/v1/admin/skus/${red}`,
          payload: { priceFen: 1 },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await staff.request({
          method: 'POST',
          url: `/api/v1/admin/skus/${red}/stock`,
          payload: { delta: 5 },
        })
      ).statusCode,
    ).toBe(404);

    expect(await auditActions('sku', red)).toEqual(['sku.update', 'sku.remove']);
    expect(await auditActions('sku', green.id)).toEqual(['sku.create', 'sku.remove']);
  });

  it('refuses two live SKUs with the same spec, whatever the key order', async () => {
    const p = await newProduct({
      skus: [
        sku({ 颜色: '红', 尺码: 'L' }, 100, null, 1),
        sku({ 颜色: '红', 尺码: 'M' }, 100, null, 1),
      ],
    });
    const dup = await staff.request({
      method: 'POST',
      url: `/api/v1/admin/products/${p.id}/skus`,
      payload: sku({ 尺码: 'L', 颜色: '红' }, 100, null, 1),
    });
    expect(dup.json()).toMatchObject({ code: 'SKU_SPEC_DUPLICATE' });
    const rename = await staff.request({
      method: 'PATCH',
      url: `/api/v1/admin/skus/${p.skus[1]!.id}`,
      payload: { spec: { 尺码: ' L ', 颜色: '红' } },
    });
    expect(rename.statusCode).toBe(409);
    const inCreate = await staff.request({
      method: 'POST',
      url: '/api/v1/admin/products',
      payload: {
        title: 'x',
        skus: [sku({ a: '1', b: '2' }, 1, null, 1), sku({ b: '2', a: '1' }, 2, null, 1)],
      },
    });
    expect(inCreate.json()).toMatchObject({ code: 'SKU_SPEC_DUPLICATE' });
    // once removed, the spec is free again
    await staff.request({ method: 'DELETE', url: `/api/v1/admin/skus/${p.skus[0]!.id}` });
    expect(
      (
        await staff.request({
          method: 'POST',
          url: `/api/v1/admin/products/${p.id}/skus`,
          payload: sku({ 尺码: 'L', 颜色: '红' }, 100, null, 1),
        })
      ).statusCode,
    ).toBe(201);
  });

  it('adjusts stock atomically and never below zero', async () => {
    const p = await newProduct();
    const id = p.skus[0]!.id;
    const adjust = (delta: number) =>
      staff.request({
        method: 'POST',
        url: `/api/v1/admin/skus/${id}/stock`,
        payload: { delta, reason: '盘点' },
      });
    expect((await adjust(5)).json()).toEqual({ id, stock: 15 });
    expect((await adjust(-15)).json()).toEqual({ id, stock: 0 });
    const below = await adjust(-1);
    expect(below.statusCode).toBe(409);
    expect(below.json()).toMatchObject({ code: 'STOCK_BELOW_ZERO' });
    expect((await adjust(0)).statusCode).toBe(400);
    expect(
      (
        await staff.request({
          method: 'POST',
          url: '/api/v1/admin/skus/999999/stock',
          payload: { delta: 1 },
        })
      ).statusCode,
    ).toBe(404);
    expect(await auditActions('sku', id)).toEqual(['sku.stock_adjust', 'sku.stock_adjust']);
  });

  it('validates bodies strictly', async () => {
    const post = (payload: object) =>
      staff.request({ method: 'POST', url: '/api/v1/admin/products', payload });
    expect((await post({ title: 'x', skus: [] })).statusCode).toBe(400);
    expect((await post({ title: 'x', skus: [sku({}, 1, null, 1)], costFen: 1 })).statusCode).toBe(
      400,
    );
    expect(
      (await post({ title: 'x', skus: [{ spec: {}, priceFen: '100', stock: 1 }] })).statusCode,
    ).toBe(400);
    expect((await post({ title: 'x', skus: [sku({}, -1, null, 1)] })).statusCode).toBe(400);
    expect((await post({ title: 'x', skus: [sku({}, 1.5, null, 1)] })).statusCode).toBe(400);
    expect((await post({ title: 'x', skus: [sku({ '': 'x' }, 1, null, 1)] })).statusCode).toBe(400);
    const badImage = await post({
      title: 'x',
      images: ['javascript:alert(1)'],
      skus: [sku({}, 1, null, 1)],
    });
    expect(badImage.statusCode).toBe(400);
    expect(
      (
        await post({
          title: 'x',
          images: ['data:image/svg+xml;base64,PHN2Zz4='],
          skus: [sku({}, 1, null, 1)],
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await post({ title: 'x', categoryId: 999_999, skus: [sku({}, 1, null, 1)] })).json(),
    ).toMatchObject({ code: 'CATEGORY_NOT_FOUND' });
    expect(
      (await post({ title: 'x', storeId: 999_999, skus: [sku({}, 1, null, 1)] })).json(),
    ).toMatchObject({ code: 'STORE_NOT_FOUND' });
    expect(
      (await staff.request({ method: 'PATCH', url: '/api/v1/admin/products/1', payload: {} }))
        .statusCode,
    ).toBe(400);
  });

  it('lists for the console with search, filters and paging, off-shelf included', async () => {
    const store = await t.deps.db
      .insertInto('stores')
      .values({ name: '旗舰店' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const a = await newProduct({
      title: '保温杯 A',
      onShelf: true,
      supplier: '杯子厂',
      skus: [sku({}, 3000, 1000, 4), sku({ 色: '白' }, 3500, 1200, 6)],
    });
    const b = await newProduct({ title: '保温杯 B', storeId: store.id });
    const list = async (qs: string) =>
      (await staff.request({ method: 'GET', url: `/api/v1/admin/products?${qs}` })).json() as {
        items: {
          id: number;
          stock: number;
          skuCount: number;
          maxPriceFen: number;
          minCostFen: number | null;
          onShelf: boolean;
        }[];
        total: number;
      };
    const cups = await list(`q=${encodeURIComponent('保温杯')}`);
    expect(cups.total).toBe(2);
    expect(cups.items.map((i) => i.id)).toEqual([b.id, a.id]);
    expect(cups.items[1]).toMatchObject({
      stock: 10,
      skuCount: 2,
      priceFen: 3000,
      maxPriceFen: 3500,
      minCostFen: 1000,
      onShelf: true,
    });
    expect((await list(`q=${encodeURIComponent('杯子厂')}`)).items.map((i) => i.id)).toEqual([
      a.id,
    ]);
    expect((await list(`q=${a.id}`)).items.map((i) => i.id)).toContain(a.id);
    expect(
      (await list(`q=${encodeURIComponent('保温杯')}&onShelf=false`)).items.map((i) => i.id),
    ).toEqual([b.id]);
    expect((await list(`storeId=${store.id}`)).items.map((i) => i.id)).toEqual([b.id]);
    const paged = await list(`q=${encodeURIComponent('保温杯')}&pageSize=1&page=2`);
    expect(paged).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(paged.items.map((i) => i.id)).toEqual([a.id]);
    expect((await list('q=%25')).total).toBe(0); // a literal %, not a wildcard

    // the shop lists only what is on shelf, and a staff change shows at once
    const shopList = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/products?q=${encodeURIComponent('保温杯')}`,
        })
      ).json() as { items: { id: number }[]; total: number };
    expect((await shopList()).items.map((i) => i.id)).toEqual([a.id]);
    await staff.request({
      method: 'POST',
      url: '/api/v1/admin/products/shelf',
      payload: { ids: [b.id], onShelf: true },
    });
    expect(await shopList()).toMatchObject({ total: 2, items: [{ id: b.id }, { id: a.id }] });
    await staff.request({
      method: 'PATCH',
      url: `/api/v1/admin/products/${a.id}`,
      payload: { onShelf: false },
    });
    expect(await shopList()).toMatchObject({ total: 1, items: [{ id: b.id }] });
  });

  it('puts many products on or off shelf at once, and removes products for good', async () => {
    const x = await newProduct({ title: '批量 1' });
    const y = await newProduct({ title: '批量 2' });
    const bulk = await staff.request({
      method: 'POST',
      url: '/api/v1/admin/products/shelf',
      payload: { ids: [x.id, y.id, 999_999], onShelf: true },
    });
    expect(bulk.json()).toEqual({
      updated: [x.id, y.id].sort((m, n) => m - n),
      notFound: [999_999],
    });
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/products/${y.id}` })).statusCode,
    ).toBe(200);
    expect(await auditActions('product', x.id)).toEqual(['product.create', 'product.shelf_on']);

    const del = await staff.request({ method: 'DELETE', url: `/api/v1/admin/products/${y.id}` });
    expect(del.json()).toEqual({ id: y.id });
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/products/${y.id}` })).statusCode,
    ).toBe(404);
    expect(
      (await staff.request({ method: 'GET', url: `/api/v1/admin/products/${y.id}` })).statusCode,
    ).toBe(404);
    expect(
      (
        await staff.request({
          method: 'PATCH',
          url: `/api/v1/admin/products/${y.id}`,
          payload: { onShelf: true },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await staff.request({
          method: 'POST',
          url: `/api/v1/admin/products/${y.id}/skus`,
          payload: sku({ z: '1' }, 1, null, 1),
        })
      ).statusCode,
    ).toBe(404);
    const again = await staff.request({
      method: 'POST',
      url: '/api/v1/admin/products/shelf',
      payload: { ids: [y.id], onShelf: true },
    });
    expect(again.json()).toEqual({ updated: [], notFound: [y.id] });
    // the row is still there for the orders that name it, off shelf
    const row = await t.deps.db
      .selectFrom('products')
      .select(['on_shelf'])
      .where('id', '=', y.id)
      .executeTakeFirstOrThrow();
    expect(row.on_shelf).toBe(false);
    expect(await auditActions('product', y.id)).toEqual([
      'product.create',
      'product.shelf_on',
      'product.remove',
    ]);
    const actors = await t.deps.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_role'])
      .where('object_type', '=', 'product')
      .where('object_id', '=', String(y.id))
      .execute();
    expect(actors.every((r) => r.actor_id === staff.userId && r.actor_role === 'staff')).toBe(true);
  });
});
