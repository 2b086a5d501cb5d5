import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffUser, testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { balanceOf, userAccount, verifyLedger } from '../ledger/index.ts';
import { setCommerceConfig } from '../orders/config.ts';
import {
  addressOf,
  buyAndPay,
  deliver,
  idemKey,
  quickShopper,
  quickStaff,
  sandboxNotification,
  seedSku,
} from '../orders/testing.ts';

let t: TestApp;
let admin: Caller;
beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, { payMinutes: 30, autoCompleteDays: 10 });
  admin = await quickStaff(t, 'admin');
});
afterAll(async () => t.close());

const publish = async (settings: Record<string, unknown>) => {
  const res = await admin.request({
    method: 'POST',
    url: '/api/v1/admin/rules',
    payload: { settings },
  });
  expect(res.statusCode, res.body).toBe(201);
};
const buyer = async () => {
  const c = await quickShopper(t);
  return { ...c, addressId: await addressOf(c) };
};
const entries = async (c: Caller) =>
  (await c.request({ method: 'GET', url: '/api/v1/queue/entries' })).json().items;

describe(`queue rebate features on the server (${DB_KIND})`, () => {
  it('lottery: drawn once, before any payout, the drawn pct replaces the fixed one', async () => {
    await publish({
      referral: { enabled: false },
      queueRebate: {
        enabled: true,
        queue: 'product',
        extractPct: 10,
        entitlementPct: 100,
        lottery: { pcts: [150] },
      },
    });
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 10 });
    const a = await buyer();
    await buyAndPay(t, a, { items: [{ skuId, qty: 1 }], addressId: a.addressId });
    const [entry] = await entries(a);
    expect(entry).toMatchObject({ entitlementFen: 10000, lotteryAvailable: true });
    const draws = await Promise.all(
      [1, 2, 3].map(() =>
        a.request({ method: 'POST', url: `/api/v1/queue/entries/${entry.id}/lottery` }),
      ),
    );
    expect(draws.map((d) => d.statusCode).sort()).toEqual([200, 409, 409]);
    expect(draws.find((d) => d.statusCode === 200)!.json()).toMatchObject({
      drawnPct: 150,
      entitlementFen: 15000,
    });
    expect((await entries(a))[0]).toMatchObject({ entitlementFen: 15000, lotteryAvailable: false });
    const other = await quickShopper(t);
    expect(
      (await other.request({ method: 'POST', url: `/api/v1/queue/entries/${entry.id}/lottery` }))
        .statusCode,
    ).toBe(404);
  });

  it('exchange: the remaining entitlement becomes points at the set rate and the entry leaves the queue', async () => {
    await publish({
      referral: { enabled: false },
      queueRebate: {
        enabled: true,
        queue: 'product',
        extractPct: 10,
        entitlementPct: 100,
        exchangeRate: { pointsPerYuan: 2, voucherPerYuan: 1 },
      },
    });
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 10 });
    const [a, b] = [await buyer(), await buyer()];
    await buyAndPay(t, a, { items: [{ skuId, qty: 1 }], addressId: a.addressId });
    await buyAndPay(t, b, { items: [{ skuId, qty: 1 }], addressId: b.addressId });
    const [entry] = await entries(a);
    expect(entry).toMatchObject({ receivedFen: 1000 });
    const key = idemKey();
    const res = await a.request({
      method: 'POST',
      url: `/api/v1/queue/entries/${entry.id}/exchange`,
      headers: { 'idempotency-key': key },
      payload: { to: 'points' },
    });
    expect(res.statusCode, res.body).toBe(200);
    // 90.00 left × 2 points per yuan
    expect(res.json().reward).toMatchObject({ asset: 'points', amount: 180, state: 'pending' });
    const again = await a.request({
      method: 'POST',
      url: `/api/v1/queue/entries/${entry.id}/exchange`,
      headers: { 'idempotency-key': key },
      payload: { to: 'points' },
    });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await balanceOf(t.deps.db, userAccount(a.userId, 'points'))).toMatchObject({
      pendingIn: 180,
    });
    expect((await entries(a))[0]).toMatchObject({ status: 'exchanged' });
    const twice = await a.request({
      method: 'POST',
      url: `/api/v1/queue/entries/${entry.id}/exchange`,
      headers: { 'idempotency-key': idemKey() },
      payload: { to: 'voucher' },
    });
    expect(twice.json().code).toBe('QUEUE_ENTRY_NOT_WAITING');
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('clearing: at local midnight every waiting entry forfeits what it has not received', async () => {
    await publish({
      referral: { enabled: false },
      queueRebate: {
        enabled: true,
        queue: 'product',
        extractPct: 10,
        entitlementPct: 100,
        clearing: 'daily',
      },
    });
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 10 });
    const [a, b] = [await buyer(), await buyer()];
    await buyAndPay(t, a, { items: [{ skuId, qty: 1 }], addressId: a.addressId });
    await buyAndPay(t, b, { items: [{ skuId, qty: 1 }], addressId: b.addressId });
    t.clock.advance(86_400_000);
    await t.jobs.runDue();
    expect((await entries(a))[0]).toMatchObject({ status: 'cleared', receivedFen: 1000 });
    expect((await entries(b))[0]).toMatchObject({ status: 'cleared', receivedFen: 0 });
    // the payout A already had stays A's
    expect(await balanceOf(t.deps.db, userAccount(a.userId, 'cash'))).toMatchObject({
      pendingIn: 1000,
    });
    // and the next clearing is scheduled
    const next = await t.deps.db
      .selectFrom('jobs')
      .select('run_at')
      .where('kind', '=', 'rules.clearing')
      .where('status', '=', 'queued')
      .execute();
    expect(next).toHaveLength(1);
  });

  it('pause: entries still join, nothing is paid', async () => {
    await publish({
      referral: { enabled: false },
      queueRebate: {
        enabled: true,
        queue: 'product',
        extractPct: 10,
        entitlementPct: 100,
        paused: true,
      },
    });
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 10 });
    const [a, b] = [await buyer(), await buyer()];
    await buyAndPay(t, a, { items: [{ skuId, qty: 1 }], addressId: a.addressId });
    await buyAndPay(t, b, { items: [{ skuId, qty: 1 }], addressId: b.addressId });
    expect((await entries(a))[0]).toMatchObject({ status: 'waiting', receivedFen: 0 });
    expect(await entries(b)).toHaveLength(1);
  });

  it('per-person limits: entitlements per day are capped', async () => {
    await publish({
      referral: { enabled: false },
      queueRebate: {
        enabled: true,
        queue: 'mall',
        extractPct: 10,
        entitlementPct: 100,
        perUserPerDay: 1,
      },
    });
    const { skuId } = await seedSku(t, { priceFen: 1000, stock: 10 });
    const a = await buyer();
    await buyAndPay(t, a, { items: [{ skuId, qty: 1 }], addressId: a.addressId });
    await buyAndPay(t, a, { items: [{ skuId, qty: 1 }], addressId: a.addressId });
    expect(await entries(a)).toHaveLength(1);
    t.clock.advance(86_400_000);
    await buyAndPay(t, a, { items: [{ skuId, qty: 1 }], addressId: a.addressId });
    expect(await entries(a)).toHaveLength(2);
  });
});

describe(`member levels (${DB_KIND})`, () => {
  it('the buyer’s level picks the member-level pct, ahead of the default', async () => {
    await publish({
      referral: { enabled: false },
      queueRebate: {
        enabled: true,
        queue: 'product',
        extractPct: 10,
        entitlementPct: 100,
        levelPct: { VIP: 150 },
      },
    });
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 10 });
    const [vip, plain] = [await buyer(), await buyer()];
    const realAdmin = await staffUser(t, 'admin');
    const set = await realAdmin.request({
      method: 'POST',
      url: `/api/v1/admin/users/${vip.userId}/level`,
      payload: { level: 'VIP' },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().memberLevel).toBe('VIP');
    await buyAndPay(t, vip, { items: [{ skuId, qty: 1 }], addressId: vip.addressId });
    await buyAndPay(t, plain, { items: [{ skuId, qty: 1 }], addressId: plain.addressId });
    expect((await entries(vip))[0]).toMatchObject({ entitlementFen: 15000 });
    expect((await entries(plain))[0]).toMatchObject({ entitlementFen: 10000 });
    const shopper = await quickShopper(t);
    expect(
      (
        await shopper.request({
          method: 'POST',
          url: `/api/v1/admin/users/${vip.userId}/level`,
          payload: { level: 'X' },
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe(`profit pool 工会排队 (${DB_KIND})`, () => {
  it('each local midnight 60 % of the day’s profit is paid to the pool entries in order', async () => {
    t.clock.advance(2 * 86_400_000); // a day of its own: earlier tests' orders made no profit in it
    await t.jobs.runDue();
    await publish({
      referral: { enabled: false },
      queueRebate: { enabled: true, pool: { poolPct: 60, entitlementPct: 110 } },
    });
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 10 });
    await t.deps.db.updateTable('skus').set({ cost_fen: 6000 }).where('id', '=', skuId).execute();
    const [a, b] = [await buyer(), await buyer()];
    await buyAndPay(t, a, { items: [{ skuId, qty: 1 }], addressId: a.addressId });
    await buyAndPay(t, b, { items: [{ skuId, qty: 1 }], addressId: b.addressId });
    expect((await entries(a))[0]).toMatchObject({
      queueId: 'pool',
      entitlementFen: 11000,
      receivedFen: 0,
    });
    t.clock.advance(86_400_000);
    await t.jobs.runDue();
    // day profit 2 × (100.00 − 60.00) = 80.00; 60 % → 48.00, all to A who is first
    expect((await entries(a))[0]).toMatchObject({ receivedFen: 4800 });
    expect((await entries(b))[0]).toMatchObject({ receivedFen: 0 });
    expect(await balanceOf(t.deps.db, userAccount(a.userId, 'cash'))).toMatchObject({
      pendingIn: 4800,
    });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });
});

describe(`store recruiting reward (${DB_KIND})`, () => {
  it('the user who brought a store earns a share of the platform commission on its orders', async () => {
    await publish({
      referral: { enabled: false },
      queueRebate: { enabled: false },
      commission: { enabled: true, depth: 1, level1Pct: 0, storeRecruitPct: 20 },
    });
    const recruiter = await quickShopper(t);
    const cashier = await staffUser(t, 'cashier');
    const store = (
      await t.deps.db
        .selectFrom('users')
        .select('store_id')
        .where('id', '=', cashier.userId)
        .executeTakeFirstOrThrow()
    ).store_id!;
    const realAdmin = await staffUser(t, 'admin');
    const patched = await realAdmin.request({
      method: 'PATCH',
      url: `/api/v1/admin/stores/${store}`,
      payload: { recruiterId: recruiter.userId, platformCommissionPct: 10.5 },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const charge = await cashier.request({
      method: 'POST',
      url: '/api/v1/cashier/charges',
      headers: { 'idempotency-key': idemKey() },
      payload: { amountFen: 100000 },
    });
    const customer = await quickShopper(t);
    const claimed = await customer.request({
      method: 'POST',
      url: `/api/v1/charges/${charge.json().code}/claim`,
    });
    const { notification } = await sandboxNotification(t, customer, claimed.json().orderId);
    expect((await deliver(t, notification)).statusCode).toBe(204);
    // 1000.00 × 10.5 % platform commission = 105.00; 20 % of it = 21.00
    expect(await balanceOf(t.deps.db, userAccount(recruiter.userId, 'cash'))).toMatchObject({
      pendingIn: 2100,
    });
  });
});
