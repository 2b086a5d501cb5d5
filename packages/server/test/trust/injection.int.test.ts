import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../app.ts';
import { DB_KIND } from '../db.ts';
import { buyAndPay, quickShopper, quickStaff } from '../../src/orders/testing.ts';
import { brokenInvariants, tableCounts } from './support.ts';

/**
 * Injection: SQL in string fields and script in names, reviews, descriptions and
 * addresses is stored inertly — read back exactly as written (rich-text descriptions are
 * sanitized instead) — and no table is touched beyond the row being written.
 */
let t: TestApp;
let admin: Caller;
let shopper: Caller;
const SQL = "x'); DELETE FROM users; DROP TABLE ledger_transfers; --";
const SCRIPT = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">';
const BOTH = `${SQL} ${SCRIPT} "quoted" \\back\\slash 100%_`;

beforeAll(async () => {
  t = await testApp();
  admin = await quickStaff(t, 'admin');
  shopper = await quickShopper(t);
});
afterAll(async () => t.close());

describe(`injection on ${DB_KIND}`, () => {
  it('stores hostile text inertly and reads it back unchanged', async () => {
    const before = await tableCounts(t.deps.db);
    const product = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/products',
      payload: {
        title: BOTH.slice(0, 80),
        subtitle: BOTH,
        descriptionHtml: `<p>ok</p>${SCRIPT}<a href="javascript:window.__xss=1">x</a>`,
        images: ['https://img.example.com/p.png'],
        skus: [{ spec: { 颜色: SCRIPT.slice(0, 40) }, priceFen: 1000, stock: 10 }],
        onShelf: true,
      },
    });
    expect(product.statusCode, product.body).toBe(201);
    const p = product.json() as { id: number; skus: { id: number }[] };
    const read = (
      await t.app.inject({ method: 'GET', url: `/api/v1/products/${p.id}` })
    ).json() as {
      title: string;
      subtitle: string;
      descriptionHtml: string;
    };
    expect(read.title).toBe(BOTH.slice(0, 80));
    expect(read.subtitle).toBe(BOTH);
    // rich text is sanitized on write: no script, no handler, no javascript: link
    expect(read.descriptionHtml).not.toMatch(/<script|onerror|javascript:/i);
    expect(read.descriptionHtml).toContain('<p>ok</p>');
    // search with SQL in the query string finds by text, nothing else
    const search = await t.app.inject({
      method: 'GET',
      url: `/api/v1/products?q=${encodeURIComponent("' OR 1=1 --")}`,
    });
    expect(search.statusCode).toBe(200);
    expect((search.json() as { total: number }).total).toBe(0);

    const addr = await shopper.request({
      method: 'POST',
      url: '/api/v1/addresses',
      payload: {
        name: SCRIPT.slice(0, 40),
        phone: '13800001234',
        province: SQL.slice(0, 20),
        city: '深圳',
        detail: BOTH,
      },
    });
    expect(addr.statusCode, addr.body).toBe(201);
    const addresses = (
      await shopper.request({ method: 'GET', url: '/api/v1/addresses' })
    ).json() as { detail: string; name: string }[] | { items: { detail: string; name: string }[] };
    const list = Array.isArray(addresses) ? addresses : addresses.items;
    expect(list.find((a) => a.detail === BOTH)?.name).toBe(SCRIPT.slice(0, 40));

    const orderId = await buyAndPay(t, shopper, {
      items: [{ skuId: p.skus[0]!.id, qty: 1 }],
      addressId: (addr.json() as { id: number }).id,
      note: BOTH.slice(0, 200),
    });
    await admin.request({
      method: 'POST',
      url: `/api/v1/admin/orders/${orderId}/ship`,
      payload: { carrier: SCRIPT.slice(0, 40), trackingNo: SQL.slice(0, 60) },
    });
    await shopper.request({ method: 'POST', url: `/api/v1/orders/${orderId}/complete` });
    const order = (
      await shopper.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })
    ).json() as {
      note: string;
      lines: { id: number }[];
    };
    expect(order.note).toBe(BOTH.slice(0, 200));
    const review = await shopper.request({
      method: 'POST',
      url: `/api/v1/orders/${orderId}/reviews`,
      payload: { lineId: order.lines[0]!.id, rating: 5, content: BOTH },
    });
    expect(review.statusCode, review.body).toBeLessThan(300);
    const reviews = (
      await t.app.inject({ method: 'GET', url: `/api/v1/products/${p.id}/reviews` })
    ).json() as { items: { content: string }[] };
    expect(reviews.items.map((r) => r.content)).toContain(BOTH);

    const store = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/stores',
      payload: { name: SCRIPT.slice(0, 60), address: SQL },
    });
    expect(store.statusCode, store.body).toBeLessThan(300);
    // every table is still there and only grew: nothing was deleted or dropped
    const after = await tableCounts(t.deps.db);
    for (const [table, n] of Object.entries(before))
      expect([table, after[table]! >= n]).toEqual([table, true]);
    expect(await brokenInvariants(t.deps.db)).toEqual([]);
  });

  it('answers are JSON, not HTML, and carry a strict content security policy', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/products?q=%3Cscript%3E' });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(String(res.headers['content-security-policy'])).toMatch(/script-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
