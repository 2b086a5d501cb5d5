import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, PHONE, randomPhone, watchedPage } from './browser.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('a friend signs up through a referral link and the referrer sees them (masked)', async () => {
  // The referrer (demo shopper 小明) signs in on a phone and opens the referral page.
  const referrerCtx = await browser.newContext(PHONE);
  const r = await watchedPage(referrerCtx, 'referral-referrer');
  await r.page.goto(`${base}/login`);
  await r.page.getByLabel('手机号').fill('13900000001');
  await r.page.getByLabel('密码', { exact: true }).fill('shopper12345');
  await r.page.getByRole('button', { name: '登录', exact: true }).click();
  await r.page.waitForURL(`${base}/me`);
  await expect.poll(() => r.page.getByText('小明').first().isVisible()).toBe(true);
  await r.shot('me');
  await r.page.getByRole('link', { name: '邀请好友' }).click();
  const codeEl = r.page.getByTestId('referral-code');
  await codeEl.waitFor();
  const code = (await codeEl.textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{8}$/);
  await expect.poll(() => r.page.getByRole('img', { name: '邀请二维码' }).isVisible()).toBe(true);
  await expect
    .poll(() => r.page.getByRole('textbox', { name: '邀请链接' }).inputValue())
    .toBe(`${base}/?ref=${code}`);
  await r.page.getByRole('button', { name: '生成邀请海报' }).click();
  await r.page.getByRole('img', { name: '邀请海报' }).waitFor();
  await r.shot('referral-page');

  // The friend opens the link on their own phone, signs up with the on-screen demo code.
  const friendCtx = await browser.newContext(PHONE);
  const f = await watchedPage(friendCtx, 'referral-friend');
  await f.page.goto(`${base}/?ref=${code}`);
  await f.page.getByText('好友邀请你加入返利商城').waitFor();
  await f.shot('landing');
  await f.page.getByRole('button', { name: '立即注册' }).click();
  await f.page.waitForURL(`${base}/signup`);
  await f.page.getByText(`你正在通过邀请码 ${code} 注册`).waitFor();
  await f.page.getByLabel('手机号').fill(randomPhone());
  await f.page.getByRole('button', { name: '获取验证码' }).click();
  const devCode = f.page.getByText(/演示验证码: \d{6}/);
  await devCode.waitFor();
  const otp = /(\d{6})/.exec((await devCode.textContent())!)![1]!;
  await f.page.getByRole('textbox', { name: '短信验证码' }).fill(otp);
  await f.page.getByLabel('密码', { exact: true }).fill('friend1234');
  await f.page.getByLabel('昵称（选填）').fill('王五');
  await expect(await f.page.getByLabel('邀请码（选填）').inputValue()).toBe(code);
  await f.page.getByRole('checkbox').check();
  await f.shot('signup-filled');
  await f.page.getByRole('button', { name: '同意协议并注册' }).click();
  await f.page.waitForURL(`${base}/`);

  // Signed in: the home page lists products; the friend opens one.
  const firstProduct = f.page.getByRole('list', { name: '商品列表' }).getByRole('link').first();
  await firstProduct.waitFor();
  await f.shot('home');
  const title = (await firstProduct.locator('.product-title').textContent())!;
  await firstProduct.click();
  await f.page.waitForURL(/\/products\/\d+$/);
  await f.page.getByRole('heading', { name: title }).waitFor();
  await expect
    .poll(() => f.page.locator('.detail-price .price').first().textContent())
    .toMatch(/^¥\d+\.\d{2}/);
  await f.shot('product');

  // Back on the referrer's phone: the friend is listed, masked.
  await r.page.reload();
  await r.page.getByRole('list', { name: '好友列表' }).getByText('王**').waitFor();
  await expect.poll(() => r.page.getByText('王五').count()).toBe(0);
  await r.shot('friend-listed');

  r.assertClean();
  f.assertClean();
  await referrerCtx.close();
  await friendCtx.close();
});

test('the shop switches to English, every label with it', async () => {
  const ctx = await browser.newContext(PHONE);
  const w = await watchedPage(ctx, 'shop-english');
  await w.page.goto(`${base}/me`);
  await w.page.getByText('English').click();
  await w.page.getByRole('button', { name: 'Sign in' }).click();
  await w.page.waitForURL(`${base}/login`);
  await w.page.getByLabel('Mobile number').fill('13900000002');
  await w.page.getByLabel('Password', { exact: true }).fill('shopper12345');
  await w.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await w.page.waitForURL(`${base}/me`);
  await w.page.getByText('Available').waitFor();
  await w.page.getByRole('link', { name: 'Invite friends' }).waitFor();
  await w.page.getByRole('navigation', { name: 'Main navigation' }).getByText('Home').click();
  await w.page.getByPlaceholder('Search products').fill('葡萄');
  await w.page.getByPlaceholder('Search products').press('Enter');
  await w.page.getByText('Results for “葡萄”').waitFor();
  await expect
    .poll(() => w.page.getByRole('list', { name: 'Products' }).getByRole('link').count())
    .toBe(1);
  await w.shot('search-en');
  w.assertClean();
  await ctx.close();
});
