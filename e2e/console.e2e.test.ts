import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESKTOP, launch, PHONE, watchedPage } from './browser.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('an admin sees the dashboard, finds a shopper, adjusts the balance; the shopper sees it in the wallet', async () => {
  const adminCtx = await browser.newContext(DESKTOP);
  const a = await watchedPage(adminCtx, 'console-admin');
  await a.page.goto(`${base}/admin/`);
  await a.page.waitForURL(`${base}/admin/login`);
  await a.page.getByLabel('手机号').fill('13800000001');
  await a.page.getByLabel('密码').fill('admin12345');
  await a.page.getByRole('button', { name: '登录', exact: true }).click();
  await a.page.waitForURL(/\/admin\/?$/);

  // Dashboard: cards and both charts.
  await a.page.getByText('成交额', { exact: true }).first().waitFor();
  await a.page.getByText('邀请漏斗').waitFor();
  // the cards come first; ECharts is fetched when the charts are drawn
  await expect
    .poll(() => a.page.locator('canvas').count(), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(2);
  await a.shot('dashboard');
  const csv = await adminCtx.request.get(`${base}/api/v1/admin/dashboard/export.csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect((await csv.text()).replace('\uFEFF', '').split('\r\n')[0]).toBe(
    'date,new_users,active_users,orders,paid_fen,refunded_fen,gmv_fen,gmv_yuan',
  );
  await expect
    .poll(
      async () => (await a.page.getByRole('link', { name: '导出 CSV' }).getAttribute('href')) ?? '',
    )
    .toContain('/api/v1/admin/dashboard/export.csv');

  // Users: find the demo shopper 小红 by phone and open her referral tree.
  await a.page.getByRole('menuitem', { name: '用户' }).click();
  await a.page.waitForURL(`${base}/admin/users`);
  await a.page.getByPlaceholder('手机号或昵称').fill('13900000002');
  await a.page.getByPlaceholder('手机号或昵称').press('Enter');
  await expect.poll(() => a.page.locator('tbody tr.ant-table-row').count()).toBe(1);
  await a.page.getByRole('link', { name: '小红' }).click();
  await a.page.waitForURL(/\/admin\/users\/\d+$/);
  await a.page.getByRole('link', { name: /小明/ }).waitFor(); // her referrer
  await a.shot('user-detail');

  // Adjust her cash balance by +12.34 (the request carries an Idempotency-Key).
  const adjustment = a.page.waitForRequest((req) =>
    req.url().endsWith('/api/v1/admin/ledger/adjustments'),
  );
  await a.page.getByLabel('金额（元）').fill('12.34');
  await a.page.getByLabel('备注（用户可见原因）').fill('售后补偿');
  await a.page.getByRole('button', { name: '提交调整' }).click();
  const sent = await adjustment;
  expect(sent.headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  expect(sent.postDataJSON()).toMatchObject({ asset: 'cash', amount: 1234, note: '售后补偿' });
  await a.page.getByText('已调整，用户钱包明细中可见').waitFor();
  await expect.poll(() => a.page.getByText('¥12.34').count()).toBeGreaterThan(0);
  await a.shot('adjusted');

  // The books still balance.
  await a.page.getByRole('menuitem', { name: '账务' }).click();
  await a.page.getByRole('button', { name: '立即对账' }).click();
  await a.page.getByText('账平：每种资产合计为零，账户与流水一致').waitFor();
  await a.shot('ledger-verify');

  // The audit log shows the adjustment.
  await a.page.getByRole('menuitem', { name: '操作日志' }).click();
  await a.page.getByText('调整余额').first().waitFor();
  await a.shot('audit');

  // The shopper signs in on her phone and sees the money in her wallet and its history.
  const shopCtx = await browser.newContext(PHONE);
  const s = await watchedPage(shopCtx, 'console-shopper');
  await s.page.goto(`${base}/login`);
  await s.page.getByLabel('手机号').fill('13900000002');
  await s.page.getByLabel('密码', { exact: true }).fill('shopper12345');
  await s.page.getByRole('button', { name: '登录', exact: true }).click();
  await s.page.waitForURL(`${base}/me`);
  await expect.poll(() => s.page.getByTestId('cash-available').textContent()).toContain('¥12.34');
  await s.shot('wallet');
  await s.page.getByRole('link', { name: '钱包明细' }).first().click();
  const row = s.page.getByRole('list', { name: '钱包明细' }).getByRole('listitem').first();
  await row.getByText('后台调整').waitFor();
  await expect.poll(() => row.textContent()).toContain('+¥12.34');
  await expect.poll(() => row.textContent()).toContain('已到账');
  await s.shot('wallet-history');

  a.assertClean();
  s.assertClean();
  await adminCtx.close();
  await shopCtx.close();
});

test('staff cannot reach admin-only pages; a shopper cannot use the console', async () => {
  const ctx = await browser.newContext(DESKTOP);
  const w = await watchedPage(ctx, 'console-staff');
  await w.page.goto(`${base}/admin/login`);
  await w.page.getByLabel('手机号').fill('13800000002');
  await w.page.getByLabel('密码').fill('staff12345');
  await w.page.getByRole('button', { name: '登录', exact: true }).click();
  await w.page.waitForURL(/\/admin\/?$/);
  await w.page.getByRole('menuitem', { name: '用户' }).waitFor();
  expect(await w.page.getByRole('menuitem', { name: '账务' }).count()).toBe(0);
  expect(await w.page.getByRole('menuitem', { name: '员工账号' }).count()).toBe(0);
  await w.shot('staff-menu');
  await w.page.getByRole('button', { name: '退出' }).click();
  await w.page.waitForURL(`${base}/admin/login`);
  await w.page.getByLabel('手机号').fill('13900000001');
  await w.page.getByLabel('密码').fill('shopper12345');
  await w.page.getByRole('button', { name: '登录', exact: true }).click();
  await w.page.getByText('该账号不是商家员工，无法进入后台').waitFor();
  await w.shot('shopper-refused');
  w.assertClean();
  await ctx.close();
});
