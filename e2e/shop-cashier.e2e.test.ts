import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, PHONE, watchedPage } from './browser.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('a cashier charges an amount by QR code, a shopper pays it in the sandbox, the till shows paid', async () => {
  // The store's cashier signs in at /cashier and asks for ¥25.80.
  const tillCtx = await browser.newContext(PHONE);
  const c = await watchedPage(tillCtx, 'shop-cashier-till');
  await c.page.goto(`${base}/cashier`);
  await c.page.getByText('收银员登录').waitFor();
  await c.page.getByLabel('手机号').fill('13800000003');
  await c.page.getByLabel('密码', { exact: true }).fill('cashier12345');
  await c.page.getByRole('button', { name: '登录', exact: true }).click();
  await c.page.getByLabel('收款金额（元）').fill('25.80');
  await c.shot('amount');
  await c.page.getByRole('button', { name: '生成收款码' }).click();
  await c.page.getByRole('img', { name: '请顾客扫码支付' }).waitFor();
  const link = await c.page.getByRole('textbox', { name: '支付链接' }).inputValue();
  expect(link).toMatch(new RegExp(`^${base}/pay/c/[\\w-]+$`));
  await c.page.getByTestId('charge-status').getByText('待支付').waitFor();
  const today = c.page.getByRole('region', { name: '今日收款' });
  await today.getByText('待支付').first().waitFor();
  await c.shot('qr');

  // The customer opens the link (what the QR code holds), signs in, pays in the sandbox.
  const shopCtx = await browser.newContext(PHONE);
  const s = await watchedPage(shopCtx, 'shop-cashier-customer');
  await s.page.goto(link);
  // the charge is public (its code is unguessable): store and amount before signing in
  await s.page.getByTestId('charge-store').getByText('返利旗舰店').waitFor();
  await expect.poll(() => s.page.locator('.pay-charge .price-xl').textContent()).toBe('¥25.80');
  expect(await s.page.getByRole('button', { name: /确认付款/ }).count()).toBe(0);
  await s.shot('charge-signed-out');
  await s.page.getByRole('button', { name: '登录后付款' }).click();
  await s.page.getByLabel('手机号').fill('13900000001');
  await s.page.getByLabel('密码', { exact: true }).fill('shopper12345');
  await s.page.getByRole('button', { name: '登录', exact: true }).click();
  await s.page.waitForURL(link);
  await s.page.getByTestId('charge-store').getByText('返利旗舰店').waitFor();
  await expect.poll(() => s.page.locator('.pay-charge .price-xl').textContent()).toBe('¥25.80');
  await s.shot('charge');
  await s.page.getByRole('button', { name: /确认付款/ }).click();
  await s.page.waitForURL(/\/sandbox\/pay\//);
  await s.shot('sandbox');
  await s.page.locator('button.pay').click();
  await s.page.waitForURL(/\/pay\/c\/[\w-]+\?/);
  await s.page.getByText('付款成功').waitFor({ timeout: 20_000 });
  await s.shot('paid');

  // The till sees it paid without anyone touching it.
  await c.page.getByText('收款成功').waitFor({ timeout: 20_000 });
  await c.page.getByTestId('charge-status').getByText('已支付').waitFor();
  // and so does the day's list beside it, without a reload
  await today.locator('li').first().getByText('已支付').waitFor({ timeout: 10_000 });
  await c.shot('till-paid');

  c.assertClean();
  s.assertClean();
  await tillCtx.close();
  await shopCtx.close();
});
