import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, launch, PHONE, watchedPage } from './browser.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The order page re-reads the order until it shows `state` (payment notices arrive in the background). */
async function waitForState(page: Page, state: string) {
  await expect
    .poll(
      async () => {
        const text = (await page.getByTestId('order-state').textContent()) ?? '';
        if (text !== state) await page.getByRole('button', { name: '刷新' }).click();
        return text;
      },
      { timeout: 20_000, interval: 500 },
    )
    .toBe(state);
}

test('a shopper buys with the sandbox pay page, staff ships in the console, the shopper confirms receipt', async () => {
  const shopCtx = await browser.newContext(PHONE);
  const s = await watchedPage(shopCtx, 'commerce-shopper');
  await s.page.goto(`${base}/login`);
  await s.page.getByLabel('手机号').fill('13900000001');
  await s.page.getByLabel('密码', { exact: true }).fill('shopper12345');
  await s.page.getByRole('button', { name: '登录', exact: true }).click();
  await s.page.waitForURL(`${base}/me`);

  // Find the grapes and buy one box now.
  await s.page.getByRole('navigation', { name: '主导航' }).getByText('首页').click();
  await s.page.getByPlaceholder('搜索商品').fill('葡萄');
  await s.page.getByPlaceholder('搜索商品').press('Enter');
  await s.page.getByText('“葡萄”的搜索结果').waitFor();
  await s.page.getByRole('list', { name: '商品列表' }).getByRole('link').first().click();
  await s.page.getByRole('heading', { name: '阳光玫瑰葡萄' }).waitFor();
  await s.page.getByRole('button', { name: '加入购物车' }).click();
  await s.page.getByText('已加入购物车').waitFor();
  await s.page.getByRole('button', { name: '立即购买' }).click();
  await s.page.waitForURL(/\/checkout\?items=\d+x1$/);

  // First order: add a delivery address (unless another test gave her one), then pay ¥59.90.
  await expect
    .poll(
      async () =>
        (await s.page.getByRole('radio').count()) + (await s.page.getByLabel('收货人').count()),
    )
    .toBeGreaterThan(0);
  if ((await s.page.getByRole('radio').count()) === 0) {
    await s.page.getByLabel('收货人').fill('张三');
    await s.page.getByLabel('联系电话').fill('13900000001');
    await s.page.getByLabel('详细地址').fill('南京东路 1 号');
    await s.page.getByRole('button', { name: '保存地址' }).click();
  }
  await s.page.getByRole('radio', { name: /张三/ }).first().waitFor();
  await expect.poll(() => s.page.locator('.bottom-bar .price').textContent()).toBe('¥59.90');
  await s.shot('checkout');
  await s.page.getByRole('button', { name: '提交订单并支付' }).click();

  // The sandbox cashier page (served by the server, like a real gateway's).
  await s.page.waitForURL(/\/sandbox\/pay\//);
  await s.shot('sandbox-pay');
  await s.page.locator('button.pay').click();
  await s.page.waitForURL(/\/orders\/\d+\?outTradeNo=\w+&result=paid$/);
  const orderUrl = s.page.url().split('?')[0]!;
  await waitForState(s.page, '待发货');
  await s.shot('paid');

  // Staff ship it in the console.
  const adminCtx = await browser.newContext(DESKTOP);
  const a = await watchedPage(adminCtx, 'commerce-staff');
  await a.page.goto(`${base}/admin/login`);
  await a.page.getByLabel('手机号').fill('13800000002');
  await a.page.getByLabel('密码').fill('staff12345');
  await a.page.getByRole('button', { name: '登录', exact: true }).click();
  await a.page.waitForURL(/\/admin\/?$/);
  await a.page.getByRole('menuitem', { name: '订单' }).click();
  await a.page.waitForURL(`${base}/admin/orders`);
  const row = a.page.locator('tbody tr.ant-table-row', { hasText: '阳光玫瑰葡萄' }).first();
  await row.getByRole('button', { name: '发货' }).click();
  await a.page.getByLabel('运单号').fill('SF1234567890');
  await a.shot('ship-form');
  await a.page.getByRole('dialog').getByRole('button', { name: '发货', exact: true }).click();
  await a.page.getByText('已发货').first().waitFor();
  await a.shot('shipped');

  // The shopper sees it shipped and confirms receipt.
  await s.page.goto(orderUrl);
  await waitForState(s.page, '已发货');
  await s.page.getByText('顺丰速运 运单号 SF1234567890').waitFor();
  await s.page.getByRole('button', { name: '确认收货' }).click();
  await s.page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
  await waitForState(s.page, '已完成');
  await s.shot('completed');

  // The order is in "my orders".
  await s.page.goto(`${base}/orders`);
  await s.page.getByRole('list', { name: '我的订单' }).getByText('阳光玫瑰葡萄').waitFor();

  s.assertClean();
  a.assertClean();
  await shopCtx.close();
  await adminCtx.close();
});
