import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  consoleLogin,
  DESKTOP,
  fenFromText,
  launch,
  PHONE,
  randomPhone,
  shopLogin,
  watchedPage,
} from './browser.ts';
import { call, apiLogin, settingsDocument } from './api.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const DAY = 86_400_000;
const SETTLE_AFTER_DAYS = 7;
const LEVEL1_PCT = 10;
// The withdrawal limits and fee of the e2e server: global-setup sets none of
// FANLI_WITHDRAW_*, so the defaults of docs/commerce.md apply (minimum ¥1.00, no fee).
const WITHDRAW_MIN_FEN = 100;
const WITHDRAW_FEE_PCT = 0;
const WITHDRAW_MIN_FEE_FEN = 0;
/** fee = max(minFeeFen, ⌊amount × feePct %⌋), as `wallet/withdrawals.ts` computes it. */
const withdrawalFee = (fen: number) =>
  Math.max(WITHDRAW_MIN_FEE_FEN, Math.floor((fen * WITHDRAW_FEE_PCT) / 100));

// 有机牛奶 12 盒 (¥69.00): bought by no other browser test.
const PRODUCT = '有机牛奶 12 盒';
const REFERRER = '13900000001'; // 小明
// the shop's dates are the shopper's local time: the phones are in China
const TZ = 'Asia/Shanghai';

/** "2026-11-30" in the phones' time zone (what the shop's `formatDate` shows there). */
const localDate = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));

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

/** Reads an amount ("¥12.34") shown in the element with this test id. */
async function fenAt(page: Page, testId: string): Promise<number> {
  const el = page.getByTestId(testId);
  await expect.poll(() => el.textContent()).toMatch(/¥/);
  return fenFromText((await el.textContent()) ?? '');
}

test('a friend buys through a referral link; the commission is pending, becomes available after the after-sale window, is withdrawn and paid out', async () => {
  // 1. Rules for this test, published by the demo admin through the API: commission only
  //    (one level, 10 %), a 7-day after-sale window. The rules in force before are put
  //    back at the end, so the other tests see the demo's rules.
  const admin = await apiLogin('13800000001', 'admin12345');
  const before = await call<{ current: { settings: Record<string, unknown> } }>(
    'GET',
    '/api/v1/admin/rules',
    admin.token,
  );
  expect(before.status).toBe(200);
  const published = await call<unknown>('POST', '/api/v1/admin/rules', admin.token, {
    settings: {
      settleAfterDays: SETTLE_AFTER_DAYS,
      commission: { enabled: true, depth: 1, level1Pct: LEVEL1_PCT },
      queueRebate: { enabled: false },
      referral: { enabled: false },
    },
    note: 'e2e: commission 10 %, no queue, no referral reward',
  });
  expect(published.status).toBe(201);
  const referrerApi = await apiLogin(REFERRER, 'shopper12345');

  try {
    // 2. The referrer (小明) signs in on her phone, notes her wallet, opens 邀请好友.
    const rCtx = await browser.newContext({ ...PHONE, timezoneId: TZ });
    const r = await watchedPage(rCtx, 'reward-withdraw-referrer');
    await shopLogin(r.page, base, REFERRER);
    const pendingBefore = await fenAt(r.page, 'cash-pending');
    await r.shot('me-before');
    await r.page.getByRole('link', { name: '邀请好友' }).click();
    await r.page.waitForURL(`${base}/me/referral`);
    const linkBox = r.page.getByRole('textbox', { name: '邀请链接' });
    await expect.poll(() => linkBox.inputValue()).toMatch(/\/\?ref=[0-9A-Z]{8}$/);
    const shareLink = await linkBox.inputValue();
    const code = /ref=([0-9A-Z]{8})$/.exec(shareLink)![1]!;
    expect(shareLink).toBe(`${base}/?ref=${code}`);
    await r.shot('referral-link');

    // 3. A friend opens the link on their own phone, signs up with the on-screen demo code…
    const fCtx = await browser.newContext({ ...PHONE, timezoneId: TZ });
    const f = await watchedPage(fCtx, 'reward-withdraw-friend');
    await f.page.goto(shareLink);
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
    await f.page.getByLabel('昵称（选填）').fill('周七');
    expect(await f.page.getByLabel('邀请码（选填）').inputValue()).toBe(code);
    await f.page.getByRole('checkbox').check();
    await f.shot('signup');
    await f.page.getByRole('button', { name: '同意协议并注册' }).click();
    await f.page.waitForURL(`${base}/`);

    // …buys the milk now, adds an address, pays on the sandbox pay page.
    await f.page.getByPlaceholder('搜索商品').fill('有机牛奶');
    await f.page.getByPlaceholder('搜索商品').press('Enter');
    await f.page.getByText('“有机牛奶”的搜索结果').waitFor();
    await f.page.getByRole('list', { name: '商品列表' }).getByRole('link').first().click();
    await f.page.getByRole('heading', { name: PRODUCT }).waitFor();
    await f.shot('product');
    await f.page.getByRole('button', { name: '立即购买' }).click();
    await f.page.waitForURL(/\/checkout\?items=\d+x1$/);
    await f.page.getByLabel('收货人').fill('周七');
    await f.page.getByLabel('联系电话').fill('13700000077');
    await f.page.getByLabel('详细地址').fill('中山路 77 号');
    await f.page.getByRole('button', { name: '保存地址' }).click();
    await f.page.getByRole('radio', { name: /周七/ }).waitFor();
    const total = f.page.locator('.bottom-bar .price');
    await expect.poll(() => total.textContent()).toBe('¥69.00');
    const paidFen = fenFromText((await total.textContent())!);
    const commissionFen = Math.floor((paidFen * LEVEL1_PCT) / 100);
    expect(commissionFen).toBe(690);
    await f.shot('checkout');
    await f.page.getByRole('button', { name: '提交订单并支付' }).click();
    await f.page.waitForURL(/\/sandbox\/pay\//);
    await f.shot('sandbox-pay');
    await f.page.locator('button.pay').click();
    await f.page.waitForURL(/\/orders\/\d+\?outTradeNo=\w+&result=paid$/);
    const orderUrl = f.page.url().split('?')[0]!;
    const orderId = Number(/\/orders\/(\d+)$/.exec(orderUrl)![1]);
    await waitForState(f.page, '待发货');
    await f.shot('paid');

    // 4. Staff ship it in the console; the friend confirms receipt in the shop.
    const sCtx = await browser.newContext(DESKTOP);
    const s = await watchedPage(sCtx, 'reward-withdraw-staff');
    await consoleLogin(s.page, base, '13800000002', 'staff12345');
    await s.page.getByRole('menuitem', { name: '订单' }).click();
    await s.page.waitForURL(`${base}/admin/orders`);
    const row = s.page.locator('tbody tr.ant-table-row', { hasText: PRODUCT }).first();
    await row.getByRole('button', { name: '发货' }).click();
    await s.page.getByLabel('运单号').fill('SF7700000001');
    await s.shot('ship-form');
    await s.page.getByRole('dialog').getByRole('button', { name: '发货', exact: true }).click();
    await row.getByText('已发货').waitFor();
    await s.shot('shipped');

    await f.page.goto(orderUrl);
    await waitForState(f.page, '已发货');
    await f.page.getByRole('button', { name: '确认收货' }).click();
    await f.page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await waitForState(f.page, '已完成');
    await f.shot('completed');

    // The window ends 7 days after completion; the reward is available then.
    const order = await call<{ completedAt: string; settleAt: string }>(
      'GET',
      `/api/v1/admin/orders/${orderId}`,
      admin.token,
    );
    expect(order.status).toBe(200);
    expect(Date.parse(order.data.settleAt) - Date.parse(order.data.completedAt)).toBe(
      SETTLE_AFTER_DAYS * DAY,
    );

    // 5. The referrer's wallet shows 10 % of the paid amount more 冻结, and her rewards
    //    page the commission, pending, with the date it becomes available.
    await r.page.goto(`${base}/me`);
    await expect.poll(() => fenAt(r.page, 'cash-pending')).toBe(pendingBefore + commissionFen);
    await r.shot('me-pending');
    await r.page
      .getByRole('region', { name: '我的钱包' })
      .getByRole('link', { name: '钱包明细' })
      .click();
    await r.page.waitForURL(`${base}/me/wallet`);
    const movement = r.page
      .getByRole('list', { name: '钱包明细' })
      .getByRole('listitem')
      .filter({ hasText: '分销佣金（直推）' })
      .first();
    await movement.waitFor();
    await expect.poll(() => movement.textContent()).toContain('+¥6.90');
    await expect.poll(() => movement.textContent()).toContain('冻结中');
    await r.shot('wallet-pending');

    await r.page.goto(`${base}/me/rewards`);
    const reward = r.page
      .getByRole('list', { name: '我的奖励' })
      .getByRole('listitem')
      .filter({ has: r.page.getByRole('link', { name: `订单 #${orderId}` }) });
    await reward.waitFor();
    await expect.poll(() => reward.textContent()).toContain('分销佣金');
    await expect.poll(() => reward.textContent()).toContain('+¥6.90');
    await expect.poll(() => reward.textContent()).toContain('冻结中');
    await expect
      .poll(() => reward.textContent())
      .toContain(`预计 ${localDate(order.data.settleAt)} 到账`);
    await r.shot('rewards-pending');

    // 6. The after-sale window passes (test clock); the job runner settles the order within
    //    a poll or two, and the page shows the reward available.
    const advanced = await call<{ now: string }>(
      'POST',
      '/api/v1/test/clock/advance',
      admin.token,
      { ms: (SETTLE_AFTER_DAYS + 1) * DAY },
    );
    expect(advanced.status).toBe(200);
    expect(Date.parse(advanced.data.now)).toBeGreaterThan(Date.parse(order.data.settleAt));
    await expect
      .poll(
        async () => {
          await r.page.reload();
          await reward.waitFor();
          return reward.textContent();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toContain('已到账');
    await expect.poll(() => reward.textContent()).not.toContain('冻结中');
    await r.shot('rewards-available');
    // Other tests' rewards of hers may have come due at the same jump: let the runner finish
    // them too, so the balance does not move under the withdrawal below.
    await expect
      .poll(
        async () => {
          const res = await call<{ items: { availableAt: string | null }[] }>(
            'GET',
            '/api/v1/rewards?state=pending',
            referrerApi.token,
          );
          return res.data.items.filter(
            (x) =>
              x.availableAt !== null && Date.parse(x.availableAt) <= Date.parse(advanced.data.now),
          ).length;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(0);

    // 7. She withdraws the commission (at least the minimum; the fee comes out of it).
    expect(commissionFen).toBeGreaterThanOrEqual(WITHDRAW_MIN_FEN);
    const feeFen = withdrawalFee(commissionFen);
    await r.page.goto(`${base}/me`);
    await r.page.getByRole('link', { name: '提现' }).click();
    await r.page.waitForURL(`${base}/me/withdrawals`);
    const wallet = await call<{ cash: { available: number } }>(
      'GET',
      '/api/v1/wallet',
      referrerApi.token,
    );
    const availableBefore = wallet.data.cash.available;
    expect(availableBefore).toBeGreaterThanOrEqual(commissionFen);
    await expect.poll(() => fenAt(r.page, 'withdraw-available')).toBe(availableBefore);
    await r.page.getByLabel('提现金额（元）').fill('6.90');
    await r.shot('withdraw-form');
    await r.page.getByRole('button', { name: '申请提现' }).click();
    await r.page.getByText('提现申请已提交').waitFor();
    // the whole amount (payout and fee) is reserved at once
    await expect
      .poll(() => fenAt(r.page, 'withdraw-available'))
      .toBe(availableBefore - commissionFen);
    const request = r.page
      .getByRole('list', { name: '提现记录' })
      .getByRole('listitem')
      .filter({ hasText: '¥6.90' })
      .first();
    await request.getByText('待审核').waitFor();
    if (feeFen > 0) await expect.poll(() => request.textContent()).toContain('手续费');
    else expect(await request.textContent()).not.toContain('手续费');
    await r.shot('withdraw-pending');

    // An admin approves it in the console (提现审核); the sandbox pays out at once.
    const aCtx = await browser.newContext(DESKTOP);
    const a = await watchedPage(aCtx, 'reward-withdraw-admin');
    await consoleLogin(a.page, base);
    await a.page.getByRole('menuitem', { name: '提现审核' }).click();
    await a.page.waitForURL(`${base}/admin/withdrawals`);
    const wRow = a.page
      .locator('tbody tr.ant-table-row', { hasText: `#${referrerApi.user.id}` })
      .filter({ hasText: '¥6.90' })
      .first();
    await wRow.waitFor();
    const payoutFen = commissionFen - feeFen;
    await expect.poll(() => wRow.textContent()).toContain(`¥${(payoutFen / 100).toFixed(2)}`);
    await a.shot('withdrawal-pending');
    await wRow.getByRole('button', { name: '通过' }).click();
    await a.page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /^(确\s?定|OK)$/ })
      .click();
    await a.page.getByText('已通过').first().waitFor();
    await a.page.getByRole('combobox', { name: '状态' }).click();
    await a.page.locator('.ant-select-item-option', { hasText: '已打款' }).click();
    await a.page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    const paidRow = a.page
      .locator('tbody tr.ant-table-row', { hasText: `#${referrerApi.user.id}` })
      .filter({ hasText: '¥6.90' })
      .first();
    await paidRow.getByText('已打款').waitFor({ timeout: 20_000 });
    await a.shot('withdrawal-paid');

    // She sees it paid, and her balance reduced by the amount.
    await expect
      .poll(
        async () => {
          await r.page.reload();
          await request.waitFor();
          return request.textContent();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toContain('已到账');
    expect(await fenAt(r.page, 'withdraw-available')).toBe(availableBefore - commissionFen);
    await r.shot('withdraw-paid');
    await r.page.goto(`${base}/me`);
    await expect.poll(() => fenAt(r.page, 'cash-available')).toBe(availableBefore - commissionFen);
    await r.shot('me-after');

    r.assertClean();
    f.assertClean();
    s.assertClean();
    a.assertClean();
    await rCtx.close();
    await fCtx.close();
    await sCtx.close();
    await aCtx.close();
  } finally {
    const restored = await call<unknown>('POST', '/api/v1/admin/rules', admin.token, {
      settings: settingsDocument(before.data.current.settings),
      note: 'e2e: the rules as they were',
    });
    expect(restored.status).toBe(201);
  }
});
