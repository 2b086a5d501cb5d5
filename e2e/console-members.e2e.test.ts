import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  consoleLogin,
  DESKTOP,
  fenFromText,
  launch,
  PHONE,
  shopLogin,
  watchedPage,
} from './browser.ts';
import { call, settingsDocument } from './api.ts';

/**
 * Member levels in the browser (docs/models/members.md): the admin configures a level in
 * the rules editor and gives it to a member on the user page; the member sees it on the
 * shop's "me" page and gets the level's discount at checkout.
 */
const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A new shopper, so no other browser test sees a member level. */
async function newShopper(): Promise<{ id: number; phone: string; password: string }> {
  const phone = `137${String(Date.now()).slice(-8)}`;
  const password = 'member1234';
  const otp = await call<{ devCode: string }>('POST', '/api/v1/auth/otp', null, {
    phone,
    purpose: 'register',
  });
  expect(otp.status).toBe(200);
  const privacy = await call<{ version: string }>('GET', '/api/v1/privacy', null);
  const reg = await call<{ user: { id: number } }>('POST', '/api/v1/auth/register', null, {
    phone,
    code: otp.data.devCode,
    password,
    privacyVersion: privacy.data.version,
  });
  expect(reg.status).toBe(200);
  return { id: reg.data.user.id, phone, password };
}

test('an admin sets up a member level, gives it to a member, who sees it and gets the discount', async () => {
  const m = await newShopper();
  const admin = await call<{ token: string }>('POST', '/api/v1/auth/login', null, {
    phone: '13800000001',
    password: 'admin12345',
  });
  const token = admin.data.token;

  // The rules editor: 会员等级 tab, switch members on, add 白银会员 at 100 growth, 5 % off.
  const ctx = await browser.newContext(DESKTOP);
  const a = await watchedPage(ctx, 'console-members');
  await consoleLogin(a.page, base);
  await a.page.getByRole('menuitem', { name: '奖励规则' }).click();
  await a.page.waitForURL(`${base}/admin/rules`);
  await a.page.getByText('当前生效').waitFor();
  await a.page.getByRole('tab', { name: '会员等级' }).click();
  await a.page.locator('#rule-members-enabled').click();
  await a.page.getByRole('button', { name: '添加会员等级' }).click();
  await a.page.locator('#rule-members-levels-0-id').fill('silver');
  await a.page.locator('#rule-members-levels-0-name').fill('白银会员');
  const minGrowth = a.page.locator('#rule-members-levels-0-minGrowth');
  await minGrowth.fill('100');
  await minGrowth.press('Tab');
  const discount = a.page.locator('#rule-members-levels-0-discountPct');
  await discount.fill('5');
  await discount.press('Tab');
  await a.shot('levels');
  await a.page.getByRole('button', { name: '发布规则' }).click();
  const dialog = a.page.getByRole('dialog', { name: '发布规则' });
  const publish = a.page.waitForRequest(
    (r) => r.url().endsWith('/api/v1/admin/rules') && r.method() === 'POST',
  );
  await dialog.getByRole('button', { name: '发布', exact: true }).click();
  const sent = (await publish).postDataJSON() as {
    settings: { members: { enabled: boolean; levels: Record<string, unknown>[] } };
  };
  expect(sent.settings.members).toEqual({
    enabled: true,
    growthPerYuan: 1,
    levels: [
      {
        id: 'silver',
        name: '白银会员',
        minGrowth: 100,
        discountPct: 5,
        pointsMultiplier: 1,
        commissionPct: null,
      },
    ],
  });
  await a.page.getByText('规则已发布').waitFor();

  // The user page: give the new shopper the level.
  await a.page.goto(`${base}/admin/users/${m.id}`);
  const card = a.page.locator('.ant-card', { hasText: '会员等级' }).first();
  await card.getByTestId('member-level').getByText('无等级').waitFor();
  await card.getByRole('combobox', { name: '会员等级' }).click();
  await a.page.locator('.ant-select-item-option', { hasText: '白银会员 (100)' }).click();
  await card.getByRole('button', { name: '设置等级' }).click();
  await a.page.getByText('会员等级已更新').waitFor();
  await card.getByTestId('member-level').getByText('白银会员').waitFor();
  await a.shot('user-level');
  a.assertClean();
  await ctx.close();

  // The shop: the member sees the level on the "me" page.
  const shopCtx = await browser.newContext(PHONE);
  const s = await watchedPage(shopCtx, 'shop-member');
  await shopLogin(s.page, base, m.phone, m.password);
  await expect
    .poll(async () => (await s.page.getByTestId('member-line').textContent()) ?? '')
    .toContain('白银会员');
  await expect(await s.page.getByTestId('member-line').textContent()).toContain('成长值 0');
  await s.shot('me');

  // …and the level's discount at checkout.
  const login = await call<{ token: string }>('POST', '/api/v1/auth/login', null, {
    phone: m.phone,
    password: m.password,
  });
  const products = await call<{ items: { id: number }[] }>(
    'GET',
    `/api/v1/products?page=1&pageSize=1&q=${encodeURIComponent('蓝莓')}`,
    null,
  );
  const product = await call<{ skus: { id: number; priceFen: number }[] }>(
    'GET',
    `/api/v1/products/${products.data.items[0]!.id}`,
    null,
  );
  const sku = product.data.skus[0]!;
  const preview = await call<{ itemsFen: number; memberDiscountFen: number }>(
    'POST',
    '/api/v1/checkout/preview',
    login.data.token,
    { items: [{ skuId: sku.id, qty: 1 }] },
  );
  expect(preview.status).toBe(200);
  expect(preview.data.memberDiscountFen).toBe(Math.floor((preview.data.itemsFen * 5) / 100));
  expect(preview.data.memberDiscountFen).toBeGreaterThan(0);

  // The order, paid from balance, keeps on its page the discount row checkout showed.
  const shopper = login.data.token;
  const payFen = preview.data.itemsFen - preview.data.memberDiscountFen;
  const funded = await call('POST', '/api/v1/admin/ledger/adjustments', token, {
    userId: m.id,
    asset: 'cash',
    amount: payFen,
    note: '会员订单余额',
  });
  expect(funded.status).toBe(201);
  const address = await call<{ id: number }>('POST', '/api/v1/addresses', shopper, {
    name: '李四',
    phone: m.phone,
    province: '浙江',
    city: '杭州',
    detail: '文三路 8 号',
  });
  const placed = await call<{
    id: number;
    orderNo: string;
    state: string;
    lines: { id: number }[];
  }>('POST', '/api/v1/orders', shopper, {
    items: [{ skuId: sku.id, qty: 1 }],
    addressId: address.data.id,
    useBalance: true,
  });
  expect(placed.data.state).toBe('paid');
  const order = placed.data;
  await s.page.goto(`${base}/orders/${order.id}`);
  await expect
    .poll(async () =>
      fenFromText((await s.page.getByTestId('sum-member').locator('.price').textContent()) ?? ''),
    )
    .toBe(preview.data.memberDiscountFen);
  await s.page.getByTestId('order-state').getByText('待发货').waitFor();

  // The buyer asks for a refund: the shop says 退款中, the console will not ship it.
  const asked = await call('POST', `/api/v1/orders/${order.id}/after-sales`, shopper, {
    kind: 'refund',
    reason: '买错了',
    lines: [{ lineId: order.lines[0]!.id, qty: 1 }],
  });
  expect(asked.status).toBe(201);
  await s.page.reload();
  await s.page.getByTestId('order-state').getByText('退款中').waitFor();
  await s.shot('order-refunding');

  const staffCtx = await browser.newContext(DESKTOP);
  const st = await watchedPage(staffCtx, 'console-refund-review');
  await consoleLogin(st.page, base, '13800000002', 'staff12345');
  await st.page.goto(`${base}/admin/orders/${order.id}`);
  await st.page.getByTestId('ship-blocked').getByText('买家有未处理完的退款申请').waitFor();
  expect(await st.page.getByLabel('运单号').count()).toBe(0);
  await st.shot('ship-blocked');

  // The review shows what approval refunds, the line, the buyer and the order.
  await st.page.goto(`${base}/admin/after-sales`);
  const req = st.page.locator('tbody tr.ant-table-row', { hasText: order.orderNo });
  await req.waitFor();
  const text = (await req.textContent()) ?? '';
  expect(text).toContain(`¥${(payFen / 100).toFixed(2)}`);
  expect(text).toContain('蓝莓');
  expect(text).toContain(`${m.phone.slice(0, 3)}****${m.phone.slice(-4)}`);
  await st.shot('review');
  await req.getByRole('button', { name: '通过' }).click();
  await st.page
    .locator('.ant-popconfirm')
    .getByRole('button', { name: '确 定' })
    .or(st.page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }))
    .click();
  await st.page.getByText('已通过').first().waitFor();
  st.assertClean();
  await staffCtx.close();

  await s.page.reload();
  await s.page.getByTestId('order-state').getByText('已退款').waitFor();
  await s.shot('order-refunded');

  // Leave the shop as other browser tests expect it: members off, the level cleared.
  const cleared = await call('POST', `/api/v1/admin/users/${m.id}/level`, token, { level: null });
  expect(cleared.status).toBe(200);
  const rules = await call<{ current: { settings: Record<string, unknown> } }>(
    'GET',
    '/api/v1/admin/rules',
    token,
  );
  const off = settingsDocument({
    ...rules.data.current.settings,
    members: { enabled: false, growthPerYuan: 1, levels: [] },
  });
  const restored = await call('POST', '/api/v1/admin/rules', token, { settings: off });
  expect(restored.status).toBe(201);
  s.assertClean();
  await shopCtx.close();
});
