import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { balanceOf, userAccount, verifyLedger } from '../ledger/index.ts';
import { setCommerceConfig } from '../orders/config.ts';
import {
  addressOf,
  buyAndPay,
  quickShopper,
  quickStaff,
  seedSku,
  refundWhole,
  shipAndComplete as shipAndCompleteAs,
} from '../orders/testing.ts';

/**
 * The rule engine wired into the order lifecycle, end to end over HTTP: the seed's worked
 * examples, pending → available at the window's end, refunds inside the window.
 */
let t: TestApp;
let admin: Caller;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, { payMinutes: 30, autoCompleteDays: 10 });
  admin = await quickStaff(t, 'admin');
});
afterAll(async () => t.close());

async function publish(settings: Record<string, unknown>) {
  const res = await admin.request({
    method: 'POST',
    url: '/api/v1/admin/rules',
    payload: { settings },
  });
  expect(res.statusCode, res.body).toBe(201);
}

const QUEUE_ONLY = {
  referral: { enabled: false },
  commission: { enabled: false },
  cashback: { enabled: false },
  queueRebate: {
    enabled: true,
    queue: 'product',
    settleOn: 'paid',
    order: 'fifo',
    extractPct: 65,
    entitlementPct: 130,
  },
};

async function buyer(referrer?: Caller): Promise<Caller & { addressId: number }> {
  const c = await quickShopper(t);
  if (referrer)
    await t.deps.db
      .updateTable('users')
      .set({ referrer_id: referrer.userId, referred_at: t.clock.now() })
      .where('id', '=', c.userId)
      .execute();
  return { ...c, addressId: await addressOf(c) };
}
const buy = (c: Caller & { addressId: number }, skuId: number) =>
  buyAndPay(t, c, { items: [{ skuId, qty: 1 }], addressId: c.addressId });

const shipAndComplete = (c: Caller, orderId: number) => shipAndCompleteAs(admin, c, orderId);
const refund = (c: Caller, orderId: number) => refundWhole(t, admin, c, orderId);

async function passWindow(days = 8) {
  t.clock.advance(days * DAY);
  await t.jobs.runDue(10_000);
}

const cash = async (c: Caller) => balanceOf(t.deps.db, userAccount(c.userId, 'cash'));
const entries = async (c: Caller) =>
  (await c.request({ method: 'GET', url: '/api/v1/queue/entries' })).json().items as {
    id: number;
    entitlementFen: number;
    receivedFen: number;
    status: string;
    position: number | null;
    progressPct: number;
  }[];

describe(`queue rebate through the order lifecycle (${DB_KIND})`, () => {
  it('168.00 × 130 % = 218.40, filled by two later orders at 65 %, available after the window', async () => {
    await publish(QUEUE_ONLY);
    const { skuId } = await seedSku(t, { priceFen: 16800, stock: 100 });
    const [a, b, c] = [await buyer(), await buyer(), await buyer()];
    const oa = await buy(a, skuId);
    expect(await entries(a)).toEqual([
      expect.objectContaining({
        entitlementFen: 21840,
        receivedFen: 0,
        status: 'waiting',
        position: 1,
      }),
    ]);
    const ob = await buy(b, skuId);
    expect((await entries(a))[0]).toMatchObject({
      receivedFen: 10920,
      progressPct: 50,
      status: 'waiting',
    });
    expect((await entries(b))[0]).toMatchObject({ position: 2 });
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 10920, pendingOut: 0 });
    const oc = await buy(c, skuId);
    expect((await entries(a))[0]).toMatchObject({ receivedFen: 21840, status: 'done' });
    // C's 109.20 all went to A's remaining need: B is now first in line, still unpaid
    expect((await entries(b))[0]).toMatchObject({ receivedFen: 0, position: 1 });

    // pending until both the contributing and the entry's own order pass their windows
    for (const [u, o] of [
      [a, oa],
      [b, ob],
      [c, oc],
    ] as const)
      await shipAndComplete(u, o);
    await passWindow(6);
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 21840, pendingOut: 0 });
    await passWindow(2);
    expect(await cash(a)).toEqual({ available: 21840, pendingIn: 0, pendingOut: 0 });
    const rewards = (await a.request({ method: 'GET', url: '/api/v1/rewards' })).json();
    expect(rewards.items).toHaveLength(2);
    expect(rewards.items.every((r: { state: string }) => r.state === 'available')).toBe(true);
    const liability = (await admin.request({ method: 'GET', url: '/api/v1/admin/queues' })).json();
    // B and C are each owed 218.40 (docs/models/simulator.md)
    expect(
      liability.queues.find((q: { queueId: string }) => q.queueId.startsWith('product:')),
    ).toBeDefined();
    expect(liability.outstandingFen).toBe(43680);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('a shopper with several entries in two queues sees each one’s place in its own queue', async () => {
    await publish({ ...QUEUE_ONLY, queueRebate: { ...QUEUE_ONLY.queueRebate, extractPct: 1 } });
    const [p1, p2] = [
      (await seedSku(t, { priceFen: 10000, stock: 100 })).skuId,
      (await seedSku(t, { priceFen: 10000, stock: 100 })).skuId,
    ];
    const [a, b] = [await buyer(), await buyer()];
    // queue of p1: A, B, A, B, A (1 % contributions fill nobody); queue of p2: A
    const order = [
      [a, p1],
      [b, p1],
      [a, p1],
      [a, p2],
      [b, p1],
      [a, p1],
    ] as const;
    const ids: number[] = [];
    for (const [who, sku] of order) ids.push(await buy(who, sku));
    const places = async (c: Caller) =>
      Object.fromEntries(
        (
          (await c.request({ method: 'GET', url: '/api/v1/queue/entries' })).json().items as {
            orderId: number;
            position: number | null;
            status: string;
          }[]
        ).map((e) => [e.orderId, `${e.status} ${e.position}`]),
      );
    expect(await places(a)).toEqual({
      [ids[0]!]: 'waiting 1',
      [ids[2]!]: 'waiting 3',
      [ids[3]!]: 'waiting 1',
      [ids[5]!]: 'waiting 5',
    });
    expect(await places(b)).toEqual({ [ids[1]!]: 'waiting 2', [ids[4]!]: 'waiting 4' });
  });

  it('a refund of the contributing order inside the window reverses its payout; the entry waits again in its old place', async () => {
    await publish({
      ...QUEUE_ONLY,
      queueRebate: { ...QUEUE_ONLY.queueRebate, extractPct: 10, entitlementPct: 100 },
    });
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 100 });
    const [a, b, c] = [await buyer(), await buyer(), await buyer()];
    await buy(a, skuId);
    const ob = await buy(b, skuId);
    expect((await entries(a))[0]).toMatchObject({ receivedFen: 1000 });
    await refund(b, ob);
    expect((await entries(a))[0]).toMatchObject({ receivedFen: 0, status: 'waiting', position: 1 });
    expect((await entries(b))[0]).toMatchObject({ status: 'cancelled' });
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 0, pendingOut: 0 });
    // the next order pays A again: A kept its place
    await buy(c, skuId);
    expect((await entries(a))[0]).toMatchObject({ receivedFen: 1000 });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('a refund of the entry’s own order cancels the entry and returns its pending payouts to the merchant', async () => {
    await publish({
      ...QUEUE_ONLY,
      queueRebate: { ...QUEUE_ONLY.queueRebate, extractPct: 10, entitlementPct: 100 },
    });
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 100 });
    const [a, b] = [await buyer(), await buyer()];
    const oa = await buy(a, skuId);
    await buy(b, skuId);
    expect(await cash(a)).toMatchObject({ pendingIn: 1000 });
    await refund(a, oa);
    expect((await entries(a))[0]).toMatchObject({ status: 'cancelled' });
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 0, pendingOut: 0 });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });
});

describe(`rule preview on the shop's own orders (${DB_KIND})`, () => {
  it('replays recent orders through the engine: a lower extraction leaves more owed', async () => {
    const preview = async (settings: Record<string, unknown>) => {
      const res = await admin.request({
        method: 'POST',
        url: '/api/v1/admin/rules/preview',
        payload: { settings, days: 60 },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const high = await preview(QUEUE_ONLY);
    const low = await preview({
      ...QUEUE_ONLY,
      queueRebate: { ...QUEUE_ONLY.queueRebate, extractPct: 10 },
    });
    expect(high.window.orders).toBeGreaterThanOrEqual(3);
    expect(high.summary.entries.total).toBeGreaterThan(0);
    expect(low.summary.rewardsPaidFen).toBeLessThan(high.summary.rewardsPaidFen);
    expect(low.summary.outstandingEntitlementFen).toBeGreaterThan(
      high.summary.outstandingEntitlementFen,
    );
    expect(high.result.ledger.balanced).toBe(true);
    const bad = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/rules/preview',
      payload: { settings: { commission: { depth: 3 } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.fields[0]).toEqual({
      field: 'commission.depth',
      code: 'commissionDepth',
      params: {},
      reason: 'must be 1 or 2',
      message: '只能是 1 或 2（最多两级分销）',
    });
  });
});

describe(`commission, cashback and referral through the order lifecycle (${DB_KIND})`, () => {
  it('commission is pending on the buyer’s order, cancelled by a refund inside the window, available after it', async () => {
    await publish({
      referral: { enabled: false },
      queueRebate: { enabled: false },
      commission: { enabled: true, depth: 2, level1Pct: 10, level2Pct: 5 },
      cashback: { enabled: true, form: 'points', pointsPerYuan: 0.05 },
    });
    const { skuId } = await seedSku(t, { priceFen: 15000, stock: 100 });
    const top = await buyer();
    const mid = await buyer(top);
    const [b1, b2] = [await buyer(mid), await buyer(mid)];
    const o1 = await buy(b1, skuId);
    const o2 = await buy(b2, skuId);
    expect(await cash(mid)).toEqual({ available: 0, pendingIn: 3000, pendingOut: 0 });
    expect(await cash(top)).toEqual({ available: 0, pendingIn: 1500, pendingOut: 0 });
    expect(await balanceOf(t.deps.db, userAccount(b1.userId, 'points'))).toMatchObject({
      pendingIn: 7,
    }); // 150.00 × 0.05
    await refund(b2, o2);
    expect(await cash(mid)).toEqual({ available: 0, pendingIn: 1500, pendingOut: 0 });
    await shipAndComplete(b1, o1);
    await passWindow();
    expect(await cash(mid)).toEqual({ available: 1500, pendingIn: 0, pendingOut: 0 });
    expect(await cash(top)).toEqual({ available: 750, pendingIn: 0, pendingOut: 0 });
    expect(await balanceOf(t.deps.db, userAccount(b1.userId, 'points'))).toMatchObject({
      available: 7,
    });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('推三返一: the third friend whose order passes its window earns the referrer 50.00', async () => {
    await publish({
      queueRebate: { enabled: false },
      referral: { enabled: true, everyN: 3, reward: { form: 'cash', fixedFen: 5000 } },
    });
    const { skuId } = await seedSku(t, { priceFen: 9900, stock: 100 });
    const referrer = await buyer();
    const friends = [await buyer(referrer), await buyer(referrer), await buyer(referrer)];
    for (const f of friends) await shipAndComplete(f, await buy(f, skuId));
    let progress = (
      await referrer.request({ method: 'GET', url: '/api/v1/referrals/progress' })
    ).json();
    expect(progress).toMatchObject({ everyN: 3, inCurrentGroup: 0, friendsBound: 3 });
    expect(await cash(referrer)).toEqual({ available: 0, pendingIn: 0, pendingOut: 0 });
    await passWindow();
    progress = (
      await referrer.request({ method: 'GET', url: '/api/v1/referrals/progress' })
    ).json();
    expect(progress).toMatchObject({ friendsCounted: 3, rewardsEarned: 1 });
    expect(await cash(referrer)).toEqual({ available: 5000, pendingIn: 0, pendingOut: 0 });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });
});
