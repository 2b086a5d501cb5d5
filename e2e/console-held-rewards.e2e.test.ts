import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { consoleLogin, DESKTOP, launch, PHONE, watchedPage } from './browser.ts';
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
const REWARD_FEN = 500;

/** Signs up through the API with the demo one-time code (answered as `devCode`). */
async function signUp(phone: string, referralCode?: string) {
  const otp = await call<{ devCode: string }>('POST', '/api/v1/auth/otp', null, {
    phone,
    purpose: 'register',
  });
  expect(otp.status).toBe(200);
  const privacy = await call<{ version: string }>('GET', '/api/v1/privacy', null);
  const res = await call<{ token: string; user: { id: number; referralCode: string } }>(
    'POST',
    '/api/v1/auth/register',
    null,
    {
      phone,
      code: otp.data.devCode,
      password: 'friend1234',
      privacyVersion: privacy.data.version,
      ...(referralCode ? { referralCode } : {}),
    },
  );
  expect(res.status, JSON.stringify(res.data)).toBe(200);
  return { token: res.data.token, id: res.data.user.id, code: res.data.user.referralCode, phone };
}

/**
 * A friend buys the demo's blueberries shipped to the referrer's own phone (the ring
 * signal of docs/security.md), pays on the sandbox page, staff ship it, the friend
 * confirms receipt. Returns the order id.
 */
async function friendBuysForReferrer(
  friend: { token: string },
  referrerPhone: string,
  adminToken: string,
): Promise<number> {
  const address = await call<{ id: number }>('POST', '/api/v1/addresses', friend.token, {
    name: '代收',
    phone: referrerPhone,
    detail: '环城路 9 号',
  });
  expect(address.status).toBeLessThan(300);
  const products = await call<{ items: { id: number }[] }>(
    'GET',
    `/api/v1/products?page=1&pageSize=1&q=${encodeURIComponent('蓝莓')}`,
    null,
  );
  const product = await call<{ skus: { id: number }[] }>(
    'GET',
    `/api/v1/products/${products.data.items[0]!.id}`,
    null,
  );
  const order = await call<{ id: number }>('POST', '/api/v1/orders', friend.token, {
    items: [{ skuId: product.data.skus[0]!.id, qty: 1 }],
    addressId: address.data.id,
  });
  expect(order.status, JSON.stringify(order.data)).toBeLessThan(300);
  const started = await call<{ action: { kind: string; url: string } }>(
    'POST',
    `/api/v1/orders/${order.data.id}/pay`,
    friend.token,
    { provider: 'sandbox', scene: 'h5', returnUrl: `/orders/${order.data.id}` },
  );
  expect(started.data.action.kind).toBe('redirect');
  const ctx = await browser.newContext(PHONE);
  const pay = await ctx.newPage(); // the gateway's page, not the app under test
  await pay.goto(new URL(started.data.action.url, base).toString());
  await pay.locator('button.pay').click();
  await expect
    .poll(
      async () =>
        (await call<{ state: string }>('GET', `/api/v1/orders/${order.data.id}`, friend.token)).data
          .state,
      { timeout: 15_000 },
    )
    .toBe('paid');
  await ctx.close();
  const shipped = await call('POST', `/api/v1/admin/orders/${order.data.id}/ship`, adminToken, {
    carrier: 'SF',
    trackingNo: `SF${order.data.id}HELD`,
  });
  expect(shipped.status).toBeLessThan(300);
  const completed = await call('POST', `/api/v1/orders/${order.data.id}/complete`, friend.token);
  expect(completed.status).toBeLessThan(300);
  return order.data.id;
}

interface Held {
  id: number;
  userId: number;
  asset: string;
  amount: number;
  heldReason: string;
}

test('referral rewards held by the ring check are listed; staff only look, an admin rejects one (and is told when another admin was first)', async () => {
  // Rules for this test: a ¥5.00 referral reward for every friend's order, nothing else.
  // The rules in force before are put back at the end.
  const admin = await apiLogin('13800000001', 'admin12345');
  const before = await call<{ current: { settings: Record<string, unknown> } }>(
    'GET',
    '/api/v1/admin/rules',
    admin.token,
  );
  expect(before.status).toBe(200);
  const published = await call('POST', '/api/v1/admin/rules', admin.token, {
    settings: {
      settleAfterDays: SETTLE_AFTER_DAYS,
      commission: { enabled: false },
      queueRebate: { enabled: false },
      referral: {
        enabled: true,
        everyN: 1,
        repeat: true,
        reward: { form: 'cash', fixedFen: REWARD_FEN },
      },
    },
    note: 'e2e: referral reward ¥5.00 per friend, nothing else',
  });
  expect(published.status).toBe(201);

  try {
    // One person, three accounts: two "friends" ship their orders to the referrer's phone.
    const stamp = String(Date.now() % 1e7).padStart(7, '0');
    const referrer = await signUp(`1360${stamp}`);
    const friends = [
      await signUp(`1350${stamp}`, referrer.code),
      await signUp(`1330${stamp}`, referrer.code),
    ];
    for (const f of friends) await friendBuysForReferrer(f, referrer.phone, admin.token);

    // The after-sale window passes (test clock): the rewards are granted, but held.
    const advanced = await call('POST', '/api/v1/test/clock/advance', admin.token, {
      ms: (SETTLE_AFTER_DAYS + 1) * DAY,
    });
    expect(advanced.status).toBe(200);
    const heldOfReferrer = async () =>
      (
        await call<{ items: Held[] }>('GET', '/api/v1/admin/rewards/held', admin.token)
      ).data.items.filter((h) => h.userId === referrer.id);
    await expect
      .poll(async () => (await heldOfReferrer()).length, { timeout: 30_000, interval: 1_000 })
      .toBe(2);
    const [first, second] = await heldOfReferrer();
    expect(first).toMatchObject({ asset: 'cash', amount: REWARD_FEN });
    expect(first!.heldReason).toMatch(/shared shipping phone/);

    // Staff see the held rewards in the console, with no way to decide.
    const sCtx = await browser.newContext(DESKTOP);
    const s = await watchedPage(sCtx, 'console-held-staff');
    await consoleLogin(s.page, base, '13800000002', 'staff12345');
    await s.page.getByRole('menuitem', { name: '待审核奖励' }).click();
    await s.page.waitForURL(`${base}/admin/held-rewards`);
    const staffRow = s.page.locator('tbody tr.ant-table-row', { hasText: `#${referrer.id}` });
    await expect.poll(() => staffRow.count()).toBe(2);
    await s.page.getByText('只有管理员可以放行或拒绝').waitFor();
    expect(await staffRow.getByRole('button').count()).toBe(0);
    await s.shot('staff-list');

    // The admin opens the page: user, ¥5.00, the reason in words, the friend linked.
    const aCtx = await browser.newContext(DESKTOP);
    const a = await watchedPage(aCtx, 'console-held-admin');
    await consoleLogin(a.page, base);
    await a.page.getByRole('menuitem', { name: '待审核奖励' }).click();
    await a.page.waitForURL(`${base}/admin/held-rewards`);
    const row = (id: number) =>
      a.page.locator('tbody tr.ant-table-row', {
        has: a.page.getByTestId(`held-amount-${id}`),
      });
    await row(first!.id).waitFor();
    await expect
      .poll(() => a.page.getByTestId(`held-amount-${first!.id}`).textContent())
      .toBe('¥5.00');
    const firstText = (await row(first!.id).textContent()) ?? '';
    expect(firstText).toContain(`#${referrer.id}`);
    expect(firstText).toContain('邀请奖励');
    expect(firstText).toContain('与好友的收货手机号相同');
    expect(firstText).toMatch(new RegExp(`好友 #(${friends[0]!.id}|${friends[1]!.id})`));
    await row(first!.id)
      .getByRole('link', { name: `#${referrer.id}` })
      .waitFor();
    await a.shot('admin-list');

    // Another admin releases the second one behind the page's back; rejecting it here
    // shows the server's answer (not found) and the list drops it.
    const released = await call<{ state: string }>(
      'POST',
      `/api/v1/admin/rewards/${second!.id}/release`,
      admin.token,
      {},
    );
    expect(released.status).toBe(200);
    await row(second!.id).getByRole('button', { name: '拒绝' }).click();
    const dialog = a.page.getByRole('dialog');
    await dialog.getByText(`拒绝奖励 #${second!.id}`).waitFor();
    await dialog.getByRole('button', { name: '拒绝' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toBe('找不到该资源');
    await row(second!.id).waitFor({ state: 'detached' });
    // The browser logs that expected 404 as a failed resource: only that one is dropped.
    const expected404 = `status of 404 (Not Found) (${base}/api/v1/admin/rewards/${second!.id}/reject)`;
    expect(a.errors.filter((e) => e.includes(expected404))).toHaveLength(1);
    a.errors.splice(0, a.errors.length, ...a.errors.filter((e) => !e.includes(expected404)));
    await a.shot('already-decided');
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The admin rejects the first one with a note: it leaves the list, cancelled.
    await row(first!.id).getByRole('button', { name: '拒绝' }).click();
    await dialog.getByText(`拒绝奖励 #${first!.id}（用户 #${referrer.id}，¥5.00）`).waitFor();
    await dialog.getByRole('textbox', { name: '备注（选填，记入操作日志）' }).fill('同一人');
    const decided = a.page.waitForRequest((r) =>
      r.url().endsWith(`/api/v1/admin/rewards/${first!.id}/reject`),
    );
    await dialog.getByRole('button', { name: '拒绝' }).click();
    expect((await decided).postDataJSON()).toEqual({ note: '同一人' });
    await a.page.getByText('已拒绝，奖励已取消').waitFor();
    await row(first!.id).waitFor({ state: 'detached' });
    expect(await heldOfReferrer()).toEqual([]);
    const rewards = await call<{ items: { id: number; state: string }[] }>(
      'GET',
      '/api/v1/rewards',
      referrer.token,
    );
    expect(rewards.data.items.find((r) => r.id === first!.id)?.state).toBe('cancelled');
    expect(rewards.data.items.find((r) => r.id === second!.id)?.state).not.toBe('cancelled');
    await a.shot('rejected');

    s.assertClean();
    a.assertClean();
    await sCtx.close();
    await aCtx.close();
  } finally {
    const restored = await call('POST', '/api/v1/admin/rules', admin.token, {
      settings: settingsDocument(before.data.current.settings),
      note: 'e2e: the rules as they were',
    });
    expect(restored.status).toBe(201);
  }
});
