import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, PHONE, randomPhone, shopLogin, watchedPage, type WatchedPage } from './browser.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

// 坚果礼盒 ¥168.00 — the worked example of docs/models/queue-rebate.md — bought by no other browser test, so
// its product queue starts empty here.
const PRODUCT = '坚果礼盒';

/** The order page re-reads the order until it shows `state`. */
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

/** Searches the product, buys one now, adds an address if there is none, pays in the sandbox. */
async function buyAndPay(w: WatchedPage, who: string) {
  const { page } = w;
  await page.goto(`${base}/`);
  await page.getByPlaceholder('搜索商品').fill(PRODUCT);
  await page.getByPlaceholder('搜索商品').press('Enter');
  await page.getByText(`“${PRODUCT}”的搜索结果`).waitFor();
  await page.getByRole('list', { name: '商品列表' }).getByRole('link').first().click();
  await page.getByRole('heading', { name: PRODUCT }).waitFor();
  await page.getByRole('button', { name: '立即购买' }).click();
  await page.waitForURL(/\/checkout\?items=\d+x1$/);
  await expect.poll(() => page.locator('.bottom-bar .price').textContent()).toBe('¥168.00');
  // a shopper with no address yet gets the form; one with addresses gets the choice
  await expect
    .poll(
      async () =>
        (await page.getByRole('radio').count()) + (await page.getByLabel('收货人').count()),
    )
    .toBeGreaterThan(0);
  if ((await page.getByRole('radio').count()) === 0) {
    await page.getByLabel('收货人').fill(who);
    await page.getByLabel('联系电话').fill('13900000009');
    await page.getByLabel('详细地址').fill('人民大道 100 号');
    await page.getByRole('button', { name: '保存地址' }).click();
    await page.getByRole('radio', { name: new RegExp(who) }).waitFor();
  }
  await w.shot('checkout');
  await page.getByRole('button', { name: '提交订单并支付' }).click();
  await page.waitForURL(/\/sandbox\/pay\//);
  await page.locator('button.pay').click();
  await page.waitForURL(/\/orders\/\d+\?outTradeNo=\w+&result=paid$/);
  await waitForState(page, '待发货');
  await w.shot('paid');
}

/** A new shopper signs up with the on-screen demo code (the demo shoppers' wallets stay as other tests expect). */
async function signUp(w: WatchedPage, nickname: string) {
  const { page } = w;
  await page.goto(`${base}/signup`);
  await page.getByLabel('手机号').fill(randomPhone());
  await page.getByRole('button', { name: '获取验证码' }).click();
  const devCode = page.getByText(/演示验证码: \d{6}/);
  await devCode.waitFor();
  const otp = /(\d{6})/.exec((await devCode.textContent())!)![1]!;
  await page.getByRole('textbox', { name: '短信验证码' }).fill(otp);
  await page.getByLabel('密码', { exact: true }).fill('buyer12345');
  await page.getByLabel('昵称（选填）').fill(nickname);
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: '同意协议并注册' }).click();
  await page.waitForURL(`${base}/`);
}

/** The queue entry of PRODUCT on "我的排队". */
const entryOf = (page: Page) => page.locator('.queue-entry', { hasText: PRODUCT }).first();

test('queue rebate: a later order of the same product fills the earlier one (130 % / 65 %)', async () => {
  // Shopper 1 (小明) buys the gift box and pays ¥168.00: entitlement 130 % = ¥218.40.
  const ctx1 = await browser.newContext(PHONE);
  const s1 = await watchedPage(ctx1, 'shop-queue-first');
  await shopLogin(s1.page, base, '13900000001');
  await buyAndPay(s1, '张三');

  await s1.page.goto(`${base}/me`);
  await s1.page.getByRole('link', { name: '我的排队' }).click();
  await s1.page.waitForURL(`${base}/me/queue`);
  const entry = entryOf(s1.page);
  await entry.waitFor();
  await expect.poll(() => entry.getByTestId('queue-progress').textContent()).toBe('0%');
  await expect.poll(() => entry.textContent()).toContain('¥218.40');
  await s1.page.getByText('排队返利依赖后续订单，不保证一定返还。').first().waitFor();
  await s1.shot('queue-before');

  // A second shopper buys the same product: 65 % of ¥168.00 = ¥109.20 goes to shopper 1.
  const ctx2 = await browser.newContext(PHONE);
  const s2 = await watchedPage(ctx2, 'shop-queue-second');
  await signUp(s2, '赵六');
  await buyAndPay(s2, '李四');
  await s2.page.goto(`${base}/me/queue`);
  await entryOf(s2.page).waitFor();
  await s2.shot('queue-second');

  // Back on shopper 1's phone: the bar moved to 50 %, ¥109.20 received (pending, 冻结).
  await s1.page.reload();
  await expect
    .poll(() => entryOf(s1.page).getByTestId('queue-progress').textContent(), { timeout: 20_000 })
    .toBe('50%');
  await expect
    .poll(() => entryOf(s1.page).getByTestId('queue-received').textContent())
    .toContain('¥109.20');
  const bar = await entryOf(s1.page).locator('.adm-progress-bar-fill').getAttribute('style');
  expect(bar).toContain('width: 50%');
  await expect.poll(() => entryOf(s1.page).textContent()).toContain('第 1 位');
  await s1.shot('queue-after');

  // The payout is a reward born pending, with the date it becomes available.
  await s1.page.goto(`${base}/me/rewards`);
  const reward = s1.page.getByRole('list', { name: '我的奖励' }).getByRole('listitem').first();
  await reward.waitFor();
  await expect.poll(() => reward.textContent()).toContain('排队返利');
  await expect.poll(() => reward.textContent()).toContain('+¥109.20');
  await expect.poll(() => reward.textContent()).toContain('冻结中');
  await s1.shot('rewards');

  // The rules page states the model and that payouts are not guaranteed.
  await s1.page.goto(`${base}/rules`);
  await s1.page
    .getByText(/排队返利完全依赖后续其他顾客的订单/)
    .first()
    .waitFor();
  await s1.page
    .getByText(/待返权益/)
    .first()
    .waitFor();
  await s1.shot('rules');

  s1.assertClean();
  s2.assertClean();
  await ctx1.close();
  await ctx2.close();
});
