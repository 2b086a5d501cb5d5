import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { consoleLogin, DESKTOP, launch, watchedPage } from './browser.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A 1×1 PNG, uploaded as the product's image. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

interface ShopList {
  items: { id: number; title: string; priceFen: number }[];
}
const shopList = async (q: string): Promise<ShopList> =>
  (
    await fetch(`${base}/api/v1/products?page=1&pageSize=20&q=${encodeURIComponent(q)}`)
  ).json() as Promise<ShopList>;

test('an admin builds the category tree, creates a product with a SKU; it appears in the shop list', async () => {
  const ctx = await browser.newContext(DESKTOP);
  const a = await watchedPage(ctx, 'console-catalog');
  await consoleLogin(a.page, base);
  const suffix = String(Date.now()).slice(-6);

  // Categories: a top-level one and a subcategory under it, then a rename.
  await a.page.getByRole('menuitem', { name: '商品分类' }).click();
  await a.page.waitForURL(`${base}/admin/categories`);
  await a.page.getByText('生鲜水果 Fresh').waitFor();
  await a.page.getByRole('button', { name: '新建分类' }).click();
  let dialog = a.page.getByRole('dialog', { name: '新建分类' });
  await dialog.getByLabel('分类名称').fill(`测试分类${suffix}`);
  await dialog.getByRole('button', { name: '保存' }).click();
  const parentRow = a.page.locator('tbody tr', { hasText: `测试分类${suffix}` });
  await parentRow.waitFor();
  await parentRow.getByRole('button', { name: '添加子分类' }).click();
  dialog = a.page.getByRole('dialog', { name: '新建分类' });
  await dialog.getByLabel('分类名称').fill(`子分类${suffix}`);
  await dialog.getByRole('button', { name: '保存' }).click();
  const childRow = a.page.locator('tbody tr', { hasText: `子分类${suffix}` });
  await childRow.waitFor();
  await childRow.getByRole('button', { name: '编辑' }).click();
  dialog = a.page.getByRole('dialog', { name: '编辑分类' });
  await dialog.getByLabel('分类名称').fill(`茶叶${suffix}`);
  await dialog.getByRole('button', { name: '保存' }).click();
  await a.page.locator('tbody tr', { hasText: `茶叶${suffix}` }).waitFor();
  await a.shot('categories');

  // A new product: texts, category, an uploaded image, a description, one SKU.
  await a.page.getByRole('menuitem', { name: /(^|\s)商品$/ }).click();
  await a.page.waitForURL(`${base}/admin/products`);
  await a.page.getByRole('button', { name: '新建商品' }).click();
  await a.page.waitForURL(`${base}/admin/products/new`);
  const title = `明前龙井${suffix}`;
  await a.page.getByLabel('商品标题').fill(title);
  await a.page.getByLabel('副标题').fill('250g 礼盒');
  await a.page.getByLabel('分类', { exact: true }).click();
  await a.page.locator('.ant-select-tree-title', { hasText: `茶叶${suffix}` }).click();
  await a.page.getByLabel('供应商').fill('西湖茶厂');
  const uploaded = a.page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/uploads'));
  await a.page.locator('input[type=file]').setInputFiles({
    name: 'tea.png',
    mimeType: 'image/png',
    buffer: PNG,
  });
  expect((await uploaded).status()).toBeLessThan(300);
  await expect.poll(() => a.page.locator('.thumb img').count()).toBe(1);
  await a.page
    .getByLabel('商品详情')
    .fill('<p><b>明前</b>头采</p><script>alert(1)</script><img src="x" onerror="alert(2)">');
  const preview = a.page.getByTestId('description-preview');
  await preview.locator('b', { hasText: '明前' }).waitFor();
  expect(await preview.innerHTML()).not.toMatch(/script|onerror/);
  await a.page.getByLabel('规格', { exact: true }).fill('规格:250g');
  await a.page.getByLabel('售价（元）').fill('0.29'); // parsed as text: exactly 29 fen
  await a.page.getByLabel('售价（元）').fill('199.90');
  await a.page.getByLabel('供货价（元，选填）').fill('120.10');
  await a.page.getByLabel('库存').fill('50');
  await a.shot('product-form');
  const created = a.page.waitForRequest(
    (r) => r.url().endsWith('/api/v1/admin/products') && r.method() === 'POST',
  );
  await a.page.getByRole('button', { name: '创建商品' }).click();
  const body = (await created).postDataJSON() as Record<string, unknown>;
  expect(body).toMatchObject({
    title,
    subtitle: '250g 礼盒',
    supplier: '西湖茶厂',
    onShelf: true,
    skus: [{ spec: { 规格: '250g' }, priceFen: 19990, costFen: 12010, stock: 50 }],
  });
  expect((body.images as string[])[0]).toMatch(/^\/uploads\/[0-9a-f]{64}\.png$/);
  await a.page.waitForURL(/\/admin\/products\/\d+$/);
  const productId = Number(a.page.url().split('/').pop());
  await a.page.getByText('商品已创建').waitFor();

  // Stock +5 with the SKU's adjuster.
  const stock = a.page.locator('[data-testid^="stock-"]').first();
  await expect.poll(() => stock.textContent()).toBe('50');
  await a.page.getByLabel('调整数量').fill('5');
  await a.page.getByRole('button', { name: '增加库存' }).click();
  await expect.poll(() => stock.textContent()).toBe('55');
  await a.shot('product-saved');

  // The shop lists it with its price.
  await expect
    .poll(async () => (await shopList(title)).items.map((p) => [p.id, p.priceFen]))
    .toEqual([[productId, 19990]]);

  // Taken off the shelf in bulk from the list (with the off-shelf filter): gone from the shop.
  await a.page.getByRole('menuitem', { name: /(^|\s)商品$/ }).click();
  await a.page.getByPlaceholder('标题、供应商或 ID').fill(title);
  await a.page.getByPlaceholder('标题、供应商或 ID').press('Enter');
  await expect.poll(() => a.page.locator('tbody tr.ant-table-row').count()).toBe(1);
  await a.page.locator('tbody tr.ant-table-row').getByRole('checkbox').check();
  await a.page.getByRole('button', { name: '批量下架' }).click();
  await a.page.locator('tbody tr.ant-table-row').getByText('已下架').waitFor();
  await expect.poll(async () => (await shopList(title)).items.length).toBe(0);
  await a.page.locator('.ant-segmented').getByText('已下架').click(); // the off-shelf filter
  await a.page.locator('tbody tr.ant-table-row', { hasText: title }).waitFor();
  await a.shot('off-shelf');

  a.assertClean();
  await ctx.close();
});
