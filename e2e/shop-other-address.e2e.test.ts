import { afterAll, beforeAll, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, PHONE, randomPhone, watchedPage } from './browser.ts';

// The server's public URL is http://localhost:<port>; the shopper opens the shop at
// http://127.0.0.1:<port>, as a phone on the LAN opens it at the computer's address.
const base = inject('baseUrl').replace('//localhost:', '//127.0.0.1:');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('a shopper on another address than the public URL reaches the cashier and comes back to the order, signed in', async () => {
  const ctx = await browser.newContext(PHONE);
  const w = await watchedPage(ctx, 'shop-other-address');
  const { page } = w;
  await page.goto(`${base}/signup`);
  await page.getByLabel('手机号').fill(randomPhone());
  await page.getByRole('button', { name: '获取验证码' }).click();
  const devCode = page.getByText(/演示验证码: \d{6}/);
  await devCode.waitFor();
  const otp = /(\d{6})/.exec((await devCode.textContent())!)![1]!;
  await page.getByRole('textbox', { name: '短信验证码' }).fill(otp);
  await page.getByLabel('密码', { exact: true }).fill('buyer12345');
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: '同意协议并注册' }).click();
  await page.waitForURL(`${base}/`);

  await page.getByRole('list', { name: '商品列表' }).getByRole('link').first().click();
  await page.getByRole('button', { name: '立即购买' }).click();
  await page.waitForURL(/\/checkout\?items=\d+x1$/);
  await page.getByLabel('收货人').fill('王五');
  await page.getByLabel('联系电话').fill('13900000009');
  await page.getByLabel('详细地址').fill('人民大道 100 号');
  await page.getByRole('button', { name: '保存地址' }).click();
  await page.getByRole('radio', { name: /王五/ }).waitFor();
  await page.getByRole('button', { name: '提交订单并支付' }).click();
  // the cashier page, on the address the shopper used (no "请求参数不正确")
  await page.waitForURL(`${base}/sandbox/pay/**`);
  await w.shot('cashier');
  // back to the order on the same address, still signed in
  await page.getByRole('link', { name: '取消' }).click();
  await page.waitForURL(new RegExp(`^${base}/orders/\\d+\\?outTradeNo=\\w+&result=cancelled$`));
  await page.getByTestId('order-state').waitFor();
  await page.getByRole('button', { name: '去支付' }).waitFor();
  await w.shot('order');
  w.assertClean();
  await ctx.close();
});
