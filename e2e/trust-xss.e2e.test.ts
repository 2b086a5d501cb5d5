import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { APIRequestContext, Browser, BrowserContext } from 'playwright-core';
import { DESKTOP, launch, PHONE } from './browser.ts';

/**
 * Script stored in product titles, descriptions, SKU specs, addresses, order notes,
 * carriers and reviews is rendered as text in the shop and the console: the pages show
 * the literal text, no script runs (`window.__xss` is never set) and no dialog opens.
 */
const base = inject('baseUrl');
const MARK = `xss${Date.now() % 100000}`;
const PAYLOADS = [
  `<img src=x onerror="window.__xss='img'">${MARK}`,
  `<script>window.__xss='script'</script>${MARK}`,
  `<svg onload="window.__xss='svg'"></svg>${MARK}`,
  `"><iframe src="javascript:window.__xss='iframe'">${MARK}`,
];
const TITLE = PAYLOADS[0]!.slice(0, 80);
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Signs in through the API in this context: the browser then carries the session cookie. */
async function signIn(ctx: BrowserContext, phone: string, password: string): Promise<string> {
  const res = await ctx.request.post(`${base}/api/v1/auth/login`, { data: { phone, password } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

async function api(
  req: APIRequestContext,
  csrf: string,
  method: 'post' | 'get',
  path: string,
  data?: unknown,
): Promise<Record<string, unknown>> {
  const res = await req[method](`${base}${path}`, {
    headers: { 'x-csrf-token': csrf, 'idempotency-key': `xss-${Math.random()}` },
    ...(data === undefined ? {} : { data }),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  expect(res.status(), JSON.stringify(body)).toBeLessThan(300);
  return body;
}

/** Opens a page and checks that the hostile text shows as text and no script ran. */
async function visit(ctx: BrowserContext, path: string, expectText: string) {
  const page = await ctx.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${base}${path}`);
  await page.getByText(expectText, { exact: false }).first().waitFor({ timeout: 20_000 });
  await page.waitForTimeout(300);
  const flag = await page.evaluate(() => (globalThis as unknown as { __xss?: string }).__xss);
  expect([path, flag, dialogs]).toEqual([path, undefined, []]);
  await page.close();
}

test('hostile text in the shop and the console is shown as text; no script runs', async () => {
  const adminCtx = await browser.newContext(DESKTOP);
  const shopCtx = await browser.newContext(PHONE);
  const adminCsrf = await signIn(adminCtx, '13800000001', 'admin12345');
  const shopCsrf = await signIn(shopCtx, '13900000001', 'shopper12345');

  const product = await api(adminCtx.request, adminCsrf, 'post', '/api/v1/admin/products', {
    title: TITLE,
    subtitle: PAYLOADS.join(' ').slice(0, 200),
    descriptionHtml: `<p>${MARK} desc</p>${PAYLOADS.join('')}`,
    images: ['https://img.example.com/p.png'],
    skus: [
      { spec: { 颜色: `<b onmouseover=alert(1)>${MARK}`.slice(0, 40) }, priceFen: 100, stock: 50 },
    ],
    onShelf: true,
  });
  const productId = product.id as number;
  const skuId = (product.skus as { id: number }[])[0]!.id;

  const address = await api(shopCtx.request, shopCsrf, 'post', '/api/v1/addresses', {
    name: PAYLOADS[2]!.slice(0, 40),
    phone: '13800009999',
    province: '广东',
    city: '深圳',
    detail: PAYLOADS.join(' ').slice(0, 200),
  });
  const order = await api(shopCtx.request, shopCsrf, 'post', '/api/v1/orders', {
    items: [{ skuId, qty: 1 }],
    addressId: address.id,
    note: PAYLOADS[1],
  });
  const orderId = order.id as number;
  // pay on the sandbox page (its confirm posts the signed notification)
  const pay = await api(shopCtx.request, shopCsrf, 'post', `/api/v1/orders/${orderId}/pay`, {
    provider: 'sandbox',
  });
  const payUrl = (pay.action as { url: string }).url;
  const confirm = payUrl.replace(/^(.*\/sandbox\/pay\/[^?]+)\?/, '$1/confirm?');
  await shopCtx.request.post(confirm.startsWith('http') ? confirm : `${base}${confirm}`, {
    form: {},
    maxRedirects: 0,
  });
  await expect
    .poll(
      async () => (await api(shopCtx.request, shopCsrf, 'get', `/api/v1/orders/${orderId}`)).state,
    )
    .toBe('paid');
  await api(adminCtx.request, adminCsrf, 'post', `/api/v1/admin/orders/${orderId}/ship`, {
    carrier: PAYLOADS[3]!.slice(0, 40),
    trackingNo: `SF${MARK}`,
  });
  await api(shopCtx.request, shopCsrf, 'post', `/api/v1/orders/${orderId}/complete`);
  const detail = await api(shopCtx.request, shopCsrf, 'get', `/api/v1/orders/${orderId}`);
  await api(shopCtx.request, shopCsrf, 'post', `/api/v1/orders/${orderId}/reviews`, {
    lineId: (detail.lines as { id: number }[])[0]!.id,
    rating: 5,
    content: PAYLOADS.join(' ').slice(0, 500),
  });

  // the shop: product page (title, description, SKU, review), the order, the addresses
  await visit(shopCtx, `/products/${productId}`, MARK);
  await visit(shopCtx, `/orders/${orderId}`, MARK);
  await visit(shopCtx, '/me/addresses', MARK);
  await visit(shopCtx, '/orders', MARK);
  // the console: products, the product, orders
  await visit(adminCtx, '/admin/products', MARK);
  await visit(adminCtx, `/admin/products/${productId}`, MARK);
  await visit(adminCtx, '/admin/orders', MARK);
  await adminCtx.close();
  await shopCtx.close();
});
