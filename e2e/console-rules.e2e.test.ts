import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { consoleLogin, DESKTOP, fenFromText, launch, PHONE, watchedPage } from './browser.ts';
import { call } from './api.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * The demo shopper 小明 buys three times and pays each order on the sandbox cashier page,
 * so the preview has real orders of the shop to replay.
 */
async function shopperBuysThreeTimes(): Promise<void> {
  const login = await call<{ token: string }>('POST', '/api/v1/auth/login', null, {
    phone: '13900000001',
    password: 'shopper12345',
  });
  expect(login.status).toBe(200);
  const token = login.data.token;
  const address = await call<{ id: number }>('POST', '/api/v1/addresses', token, {
    name: '张三',
    phone: '13900000001',
    detail: '测试路 1 号',
  });
  expect(address.status).toBeLessThan(300);
  // the demo's blueberries (蓝莓 4 盒, ¥79.90, plenty of stock)
  const products = await call<{ items: { id: number }[] }>(
    'GET',
    `/api/v1/products?page=1&pageSize=1&q=${encodeURIComponent('蓝莓')}`,
    null,
  );
  const product = await call<{ skus: { id: number; stock: number }[] }>(
    'GET',
    `/api/v1/products/${products.data.items[0]!.id}`,
    null,
  );
  const skuId = product.data.skus[0]!.id;
  const ctx = await browser.newContext(PHONE);
  const pay = await ctx.newPage(); // the gateway's page, not the app under test
  for (let i = 0; i < 3; i++) {
    const order = await call<{ id: number }>('POST', '/api/v1/orders', token, {
      items: [{ skuId, qty: 1 }],
      addressId: address.data.id,
    });
    expect(order.status).toBeLessThan(300);
    const started = await call<{ action: { kind: string; url: string } }>(
      'POST',
      `/api/v1/orders/${order.data.id}/pay`,
      token,
      { provider: 'sandbox', scene: 'h5', returnUrl: `/orders/${order.data.id}` },
    );
    expect(started.data.action.kind).toBe('redirect');
    await pay.goto(new URL(started.data.action.url, base).toString());
    await pay.locator('button.pay').click(); // then back to the shop; the notice decides
    await expect
      .poll(
        async () =>
          (await call<{ state: string }>('GET', `/api/v1/orders/${order.data.id}`, token)).data
            .state,
        { timeout: 15_000 },
      )
      .toBe('paid');
  }
  await ctx.close();
}

test('an admin lowers the queue extraction pct and the rule preview numbers update', async () => {
  await shopperBuysThreeTimes();
  // A version in force to load back later: when none was published yet (this file alone),
  // publish the defaults, which are what is in force anyway.
  const adminLogin = await call<{ token: string }>('POST', '/api/v1/auth/login', null, {
    phone: '13800000001',
    password: 'admin12345',
  });
  expect(adminLogin.status).toBe(200);
  const adminToken = adminLogin.data.token;
  let before = await call<{ current: { id: number | null } }>(
    'GET',
    '/api/v1/admin/rules',
    adminToken,
  );
  if (before.data.current.id === null) {
    const baseline = await call('POST', '/api/v1/admin/rules', adminToken, { settings: {} });
    expect(baseline.status).toBeLessThan(300);
    before = await call('GET', '/api/v1/admin/rules', adminToken);
  }
  const previousId = before.data.current.id!;

  const ctx = await browser.newContext(DESKTOP);
  const a = await watchedPage(ctx, 'console-rules-preview');
  await consoleLogin(a.page, base);
  await a.page.getByRole('menuitem', { name: '奖励规则' }).click();
  await a.page.waitForURL(`${base}/admin/rules`);
  await a.page.getByText('当前生效').waitFor();
  await a.page.getByRole('tab', { name: '排队返利' }).click();
  const extract = a.page.locator('#rule-queueRebate-extractPct');
  await expect.poll(() => extract.inputValue()).toMatch(/^65(\.00)?$/);
  await a.page.getByText('返还依赖后续订单，不保证一定返完').first().waitFor();

  // First preview with the rules as they are (extraction 65 %).
  const first = a.page.waitForRequest((r) => r.url().endsWith('/api/v1/admin/rules/preview'));
  await a.page.getByRole('button', { name: '预览', exact: true }).click();
  expect((await first).postDataJSON()).toMatchObject({
    settings: { queueRebate: { extractPct: 65 } },
    days: 30,
  });
  const summary = a.page.getByTestId('preview-summary');
  await summary.waitFor();
  await expect
    .poll(async () => (await a.page.getByTestId('preview-window').textContent()) ?? '')
    .toMatch(/[1-9]\d* 笔订单/);
  const read = async (id: string) => fenFromText((await a.page.getByTestId(id).textContent())!);
  const pending65 = await read('pv-pending');
  const owed65 = await read('pv-outstanding');
  expect(pending65).toBeGreaterThan(0);
  // ECharts loads the first time a chart is drawn: the canvas follows the numbers
  await expect
    .poll(() => a.page.locator('.preview-panel canvas').count(), { timeout: 15_000 })
    .toBeGreaterThan(0);
  await a.shot('preview-65');

  // Lower the extraction to 10 %: the preview says it is out of date, then re-runs.
  await extract.fill('10');
  await extract.press('Tab');
  await a.page.getByText('规则已修改，点击“重新预览”查看新结果').waitFor();
  await a.page.getByText('有未发布的修改').waitFor();
  const second = a.page.waitForRequest((r) => r.url().endsWith('/api/v1/admin/rules/preview'));
  await a.page.getByRole('button', { name: '重新预览' }).click();
  expect((await second).postDataJSON()).toMatchObject({
    settings: { queueRebate: { extractPct: 10 } },
  });
  // Less is extracted for earlier entries: fewer rewards now, more still owed.
  await expect.poll(() => read('pv-pending')).toBeLessThan(pending65);
  expect(await read('pv-outstanding')).toBeGreaterThan(owed65);
  await a.page.getByTestId('pv-pending').getByText(/\(-¥/).waitFor(); // change vs previous run
  await a.shot('preview-10');

  // Publish it as an announced change for a later date, with a note.
  await a.page.getByRole('button', { name: '发布规则' }).click();
  const dialog = a.page.getByRole('dialog', { name: '发布规则' });
  // the dialog may still be animating in on a busy machine: click until the radio holds
  const later = dialog.getByLabel('定时生效（提前公示）');
  await expect
    .poll(async () => {
      await later.check({ timeout: 2_000 }).catch(() => undefined);
      return later.isChecked();
    })
    .toBe(true);
  const picker = dialog.getByLabel('生效时间');
  await picker.click();
  await picker.fill('2099-01-01 10:00');
  await picker.press('Enter');
  await dialog.getByLabel('说明').fill('排队提取比例调整为 10%');
  const publish = a.page.waitForRequest(
    (r) => r.url().endsWith('/api/v1/admin/rules') && r.method() === 'POST',
  );
  await dialog.getByRole('button', { name: '发布', exact: true }).click();
  const body = (await publish).postDataJSON() as {
    settings: { queueRebate: { extractPct: number } };
    effectiveAt?: string;
    note?: string;
  };
  expect(body.settings.queueRebate.extractPct).toBe(10);
  expect(body.effectiveAt?.slice(0, 4)).toBe('2099');
  expect(body.note).toBe('排队提取比例调整为 10%');
  await a.page.getByText('规则已发布').waitFor();
  await a.page.getByRole('tab', { name: '版本记录' }).click();
  const row = a.page.locator('tbody tr', { hasText: '排队提取比例调整为 10%' });
  await row.getByText('公示中').waitFor();
  await a.shot('history');

  // Load a version back into the editor: the draft changes, nothing is published.
  const published: string[] = [];
  a.page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/admin/rules')) published.push(r.url());
  });
  const loadRow = async (id: number) => {
    const versionRow = a.page
      .locator('tbody tr')
      .filter({ has: a.page.getByRole('cell', { name: `v${id}`, exact: true }) });
    const answer = a.page.waitForResponse((r) =>
      r.url().endsWith(`/api/v1/admin/rules/versions/${id}`),
    );
    await versionRow.getByRole('button', { name: '载入编辑器' }).click();
    expect((await answer).status()).toBe(200);
    await a.page.getByText(`已载入版本 #${id}，发布后生效`).waitFor();
  };
  // the announced one (10 %) first: the editor shows it as an unpublished change
  const announcedId = Number(((await row.locator('td').first().textContent()) ?? '').slice(1));
  await loadRow(announcedId);
  await a.page.getByRole('tab', { name: '排队返利' }).click();
  await expect.poll(() => extract.inputValue()).toMatch(/^10(\.00)?$/);
  await a.page.getByText('有未发布的修改').waitFor();
  // then the previous version: the old 65 % is back in the field
  await a.page.getByRole('tab', { name: '版本记录' }).click();
  await loadRow(previousId);
  await a.page.getByRole('tab', { name: '排队返利' }).click();
  await expect.poll(() => extract.inputValue()).toMatch(/^65(\.00)?$/);
  await a.shot('version-loaded');
  expect(published).toEqual([]);

  // The rules in force are unchanged until then (the shop's rules page announces the change).
  const rules = await call<{
    current: { settings: { queueRebate: { extractPct: number } } };
    upcoming: { note: string }[];
  }>('GET', '/api/v1/rules', null);
  expect(rules.data.current.settings.queueRebate.extractPct).toBe(65);
  expect(rules.data.upcoming.map((u) => u.note)).toContain('排队提取比例调整为 10%');

  // The queues page: what the merchant still owes per queue, with a chart.
  await a.page.getByRole('menuitem', { name: /(^|\s)排队返利$/ }).click();
  await a.page.waitForURL(`${base}/admin/queues`);
  await expect
    .poll(async () =>
      fenFromText((await a.page.getByTestId('queues-outstanding').textContent()) ?? '¥0.00'),
    )
    .toBeGreaterThan(0);
  await expect.poll(() => a.page.locator('canvas').count()).toBeGreaterThan(0);
  await a.page
    .locator('tbody tr', { hasText: /商品 #\d+/ })
    .first()
    .waitFor();
  await a.page.waitForTimeout(1200); // let the chart finish its animation
  await a.shot('queues');

  a.assertClean();
  await ctx.close();
});

test('commission depth 3 cannot be chosen; invalid settings are named next to their field', async () => {
  const ctx = await browser.newContext(DESKTOP);
  const a = await watchedPage(ctx, 'console-rules-depth');
  await consoleLogin(a.page, base);
  await a.page.goto(`${base}/admin/rules`);
  await a.page.getByRole('tab', { name: '分销佣金' }).click();
  await a.page.getByText('最多两级').waitFor();
  await a.page.locator('#rule-commission-enabled').click();

  // The depth control offers exactly 一级 and 二级.
  const depth = a.page.locator('#rule-commission-depth');
  const radios = depth.getByRole('radio');
  expect(await radios.count()).toBe(2);
  expect(
    await depth.getByRole('radio').evaluateAll((els) => els.map((e) => e.getAttribute('value'))),
  ).toEqual(['1', '2']);
  expect(await a.page.getByText(/三级/).count()).toBeLessThanOrEqual(1); // only the hint text
  expect(await depth.getByText('三级').count()).toBe(0);
  await depth.getByText('二级').click();
  await expect.poll(() => a.page.locator('#rule-commission-level2Pct').isEnabled()).toBe(true);
  await a.shot('depth');

  // The server refuses depth 3 even when sent directly.
  const refused = await ctx.request.post(`${base}/api/v1/admin/rules/validate`, {
    data: { settings: { commission: { depth: 3 } } },
    headers: {
      'X-CSRF-Token': (await ctx.cookies()).find((c) => c.name === 'fanli_csrf')!.value,
    },
  });
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toMatchObject({
    code: 'VALIDATION_FAILED',
    details: {
      fields: [{ field: 'commission.depth', code: 'commissionDepth', reason: 'must be 1 or 2' }],
    },
  });

  // Level 1 + level 2 above 100 %: the check names the field, shown under it in red.
  await a.page.locator('#rule-commission-level1Pct').fill('60');
  await a.page.locator('#rule-commission-level2Pct').fill('50');
  await a.page.locator('#rule-commission-level2Pct').press('Tab');
  await a.page.getByRole('button', { name: '检查设置' }).click();
  await a.page.getByText(/处设置不正确/).waitFor();
  await expect
    .poll(() => a.page.locator('[data-field-error^="commission"]').count())
    .toBeGreaterThan(0);
  // worded in the console's language from the error's code
  expect(await a.page.locator('[data-field-error="commission.level2Pct"]').textContent()).toBe(
    '一级与二级佣金比例之和不能超过 100%',
  );
  await a.shot('field-error');
  // The browser logs the expected 400 answer of the check as a failed resource.
  a.errors.splice(0, a.errors.length, ...a.errors.filter((e) => !/status of 400/.test(e)));
  // Back to 30 %: the check passes.
  await a.page.locator('#rule-commission-level2Pct').fill('5');
  await a.page.locator('#rule-commission-level2Pct').press('Tab');
  await a.page.getByRole('button', { name: '检查设置' }).click();
  await a.page.getByText('设置检查通过').waitFor();

  a.assertClean();
  await ctx.close();
});
