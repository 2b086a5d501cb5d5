import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { quickShopper, seedSku } from '../orders/testing.ts';

/**
 * Per-user limits hold when a shopper's requests arrive all at once: at most 20
 * addresses with exactly one default, at most 100 cart lines.
 */
let t: TestApp;

beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t.close());

const addAddress = (c: Caller, n: number, isDefault?: boolean) =>
  c.request({
    method: 'POST',
    url: '/api/v1/addresses',
    payload: {
      name: `收件人${n}`,
      phone: '13800000000',
      detail: `南山区 ${n} 号`,
      ...(isDefault !== undefined ? { isDefault } : {}),
    },
  });

const myAddresses = async (c: Caller) =>
  (await c.request({ method: 'GET', url: '/api/v1/addresses' })).json() as {
    id: number;
    isDefault: boolean;
  }[];

describe(`per-user limits under concurrency (${DB_KIND})`, () => {
  it('60 addresses at once: exactly 20 are kept, the rest refused with a clear error, one default', async () => {
    const c = await quickShopper(t);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => addAddress(c, i)));
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(20);
    const refused = answers.filter((r) => r.statusCode !== 201);
    expect(refused).toHaveLength(40);
    for (const r of refused) {
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ code: 'ADDRESS_LIMIT_REACHED' });
    }
    const mine = await myAddresses(c);
    expect(mine).toHaveLength(20);
    expect(mine.filter((a) => a.isDefault)).toHaveLength(1);
  });

  it('60 new default addresses at once (and edits making one default): one default remains', async () => {
    const c = await quickShopper(t);
    const created = await Promise.all(Array.from({ length: 60 }, (_, i) => addAddress(c, i, true)));
    expect(created.filter((r) => r.statusCode === 201)).toHaveLength(20);
    let mine = await myAddresses(c);
    expect(mine.filter((a) => a.isDefault)).toHaveLength(1);
    const edits = await Promise.all(
      [...mine, ...mine].map((a, i) =>
        c.request({
          method: 'PUT',
          url: `/api/v1/addresses/${a.id}`,
          payload: {
            name: `改${i}`,
            phone: '13800000000',
            detail: `北山区 ${i} 号`,
            isDefault: true,
          },
        }),
      ),
    );
    expect(edits.every((r) => r.statusCode === 200)).toBe(true);
    mine = await myAddresses(c);
    expect(mine).toHaveLength(20);
    expect(mine.filter((a) => a.isDefault)).toHaveLength(1);
  });

  it('60 new cart lines at once on top of 80: exactly 100 lines, more units of a line already there still fit', async () => {
    const c = await quickShopper(t);
    const skus: number[] = [];
    for (let i = 0; i < 140; i++) skus.push((await seedSku(t, { priceFen: 100, stock: 10 })).skuId);
    for (const skuId of skus.slice(0, 80)) {
      const r = await c.request({
        method: 'POST',
        url: '/api/v1/cart/items',
        payload: { skuId, qty: 1 },
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const answers = await Promise.all(
      skus
        .slice(80)
        .map((skuId) =>
          c.request({ method: 'POST', url: '/api/v1/cart/items', payload: { skuId, qty: 1 } }),
        ),
    );
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(20);
    const refused = answers.filter((r) => r.statusCode !== 200);
    expect(refused).toHaveLength(40);
    for (const r of refused) expect(r.json()).toMatchObject({ code: 'CART_FULL' });
    // a full cart still takes more units of a line it holds
    const more = await c.request({
      method: 'POST',
      url: '/api/v1/cart/items',
      payload: { skuId: skus[0], qty: 2 },
    });
    expect(more.statusCode, more.body).toBe(200);
    const cart = more.json() as { items: { skuId: number; qty: number }[] };
    expect(cart.items).toHaveLength(100);
    expect(cart.items.find((i) => i.skuId === skus[0])?.qty).toBe(3);
  });
});
