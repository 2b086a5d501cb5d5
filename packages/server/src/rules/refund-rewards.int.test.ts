import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { balanceOf, userAccount, verifyLedger } from '../ledger/index.ts';
import { setCommerceConfig } from '../orders/config.ts';
import {
  addressOf,
  buyAndPay,
  idemKey,
  quickShopper,
  quickStaff,
  refundWhole,
  seedSku,
  shipAndComplete,
} from '../orders/testing.ts';

/**
 * What a refund does to rewards is decided by the reward's state, not by the refunded
 * order's own window: every reward still pending that depends on the order is cancelled,
 * an available one is kept. An after-sale request made inside the window holds it until
 * the request is closed. Window: 7 days.
 */
let t: TestApp;
let admin: Caller;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, { payMinutes: 30, autoCompleteDays: 30 });
  admin = await quickStaff(t, 'admin');
});
afterAll(async () => t.close());

async function publish(settings: Record<string, unknown>) {
  const res = await admin.request({
    method: 'POST',
    url: '/api/v1/admin/rules',
    payload: { settings: { settleAfterDays: 7, ...settings } },
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
    extractPct: 10,
    entitlementPct: 100,
  },
};
const COMMISSION_ONLY = {
  referral: { enabled: false },
  queueRebate: { enabled: false },
  cashback: { enabled: false },
  commission: { enabled: true, depth: 1, level1Pct: 10 },
};

async function shopper(referrer?: Caller): Promise<Caller & { addressId: number }> {
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
const complete = (c: Caller, orderId: number) => shipAndComplete(admin, c, orderId);
const refund = (c: Caller, orderId: number) => refundWhole(t, admin, c, orderId);

/** The clock moves on by `days`, and every job that fell due runs. */
async function passDays(days: number) {
  t.clock.advance(days * DAY);
  await t.jobs.runDue(10_000);
}

/** The buyer asks a refund of the whole order; the request stays open. */
async function requestRefund(c: Caller, orderId: number): Promise<number> {
  const order = (await c.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })).json() as {
    lines: { id: number; qty: number }[];
  };
  const asked = await c.request({
    method: 'POST',
    url: `/api/v1/orders/${orderId}/after-sales`,
    headers: { 'idempotency-key': idemKey() },
    payload: {
      kind: 'refund',
      reason: '不想要了',
      lines: order.lines.map((l) => ({ lineId: l.id, qty: l.qty })),
    },
  });
  expect(asked.statusCode, asked.body).toBe(201);
  return (asked.json() as { id: number }).id;
}

async function approve(afterSaleId: number) {
  const res = await admin.request({
    method: 'POST',
    url: `/api/v1/admin/after-sales/${afterSaleId}/approve`,
    headers: { 'idempotency-key': idemKey() },
    payload: {},
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  await t.jobs.runDue(10_000);
}

const cash = async (c: Caller) => balanceOf(t.deps.db, userAccount(c.userId, 'cash'));
const entries = async (c: Caller) =>
  (await c.request({ method: 'GET', url: '/api/v1/queue/entries' })).json().items as {
    receivedFen: number;
    status: string;
    position: number | null;
  }[];

describe(`a refund requested inside the window and decided after it (${DB_KIND})`, () => {
  it('approved after the window end: the commission is cancelled, never available', async () => {
    await publish(COMMISSION_ONLY);
    const { skuId } = await seedSku(t, { priceFen: 15000, stock: 10 });
    const a = await shopper();
    const b = await shopper(a);
    const o = await buy(b, skuId);
    await complete(b, o);
    await passDays(5);
    const request = await requestRefund(b, o);
    await passDays(4); // the window ended two days ago, the request is still open
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 1500, pendingOut: 0 });
    // the date it would become available is not known while the request is open
    const held = (await a.request({ method: 'GET', url: '/api/v1/rewards' })).json();
    expect(held.items).toEqual([expect.objectContaining({ state: 'pending', availableAt: null })]);
    await approve(request);
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 0, pendingOut: 0 });
    await passDays(10);
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 0, pendingOut: 0 });
    const rewards = (await a.request({ method: 'GET', url: '/api/v1/rewards' })).json();
    expect(rewards.items.map((r: { state: string }) => r.state)).toEqual(['cancelled']);
    // the rule preview replays the request as holding the window too
    const preview = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/rules/preview',
      payload: { settings: { settleAfterDays: 7, ...COMMISSION_ONLY }, days: 60 },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().result.users[String(a.userId)]).toMatchObject({
      cashAvailableFen: 0,
      cashPendingFen: 0,
    });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('rejected after the window end: the order settles at once, the commission is available', async () => {
    await publish(COMMISSION_ONLY);
    const { skuId } = await seedSku(t, { priceFen: 15000, stock: 10 });
    const a = await shopper();
    const b = await shopper(a);
    const o = await buy(b, skuId);
    await complete(b, o);
    await passDays(5);
    const request = await requestRefund(b, o);
    await passDays(4);
    expect(await cash(a)).toMatchObject({ available: 0, pendingIn: 1500 });
    const rejected = await admin.request({
      method: 'POST',
      url: `/api/v1/admin/after-sales/${request}/reject`,
      payload: { note: '已签收且无质量问题' },
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    // no job has to run: the rejection itself settled the order
    expect(await cash(a)).toEqual({ available: 1500, pendingIn: 0, pendingOut: 0 });
    const order = await t.deps.db
      .selectFrom('orders')
      .select('settled_at')
      .where('id', '=', o)
      .executeTakeFirstOrThrow();
    expect(order.settled_at?.getTime()).toBe(t.clock.now().getTime());
  });

  it('withdrawn by the buyer inside the window: the order settles at its window end as usual', async () => {
    await publish(COMMISSION_ONLY);
    const { skuId } = await seedSku(t, { priceFen: 15000, stock: 10 });
    const a = await shopper();
    const b = await shopper(a);
    const o = await buy(b, skuId);
    await complete(b, o);
    await passDays(2);
    const request = await requestRefund(b, o);
    const withdrawn = await b.request({
      method: 'POST',
      url: `/api/v1/after-sales/${request}/cancel`,
      headers: { 'idempotency-key': idemKey() },
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    await passDays(4);
    expect(await cash(a)).toMatchObject({ available: 0, pendingIn: 1500 });
    await passDays(1);
    expect(await cash(a)).toEqual({ available: 1500, pendingIn: 0, pendingOut: 0 });
  });

  it('返一 waiting on the referrer’s own order is cancelled when that order’s held refund is approved', async () => {
    await publish({
      queueRebate: { enabled: false },
      commission: { enabled: false },
      cashback: { enabled: false },
      referral: { enabled: true, everyN: 1, reward: { form: 'cash', pctOfOwnOrder: 100 } },
    });
    const { skuId } = await seedSku(t, { priceFen: 9900, stock: 10 });
    const a = await shopper();
    const b = await shopper(a);
    const own = await buy(a, skuId);
    const friend = await buy(b, skuId);
    await complete(a, own);
    await complete(b, friend);
    await passDays(6);
    const request = await requestRefund(a, own);
    await passDays(2); // B's order settled: A earned 100 % of its own order, held with it
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 9900, pendingOut: 0 });
    await approve(request);
    await passDays(10);
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 0, pendingOut: 0 });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });
});

describe(`a refund after the refunded order's own window (${DB_KIND})`, () => {
  it('cancels a pending payout to the refunded entry', async () => {
    await publish(QUEUE_ONLY);
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 10 });
    const [a, b] = [await shopper(), await shopper()];
    const oa = await buy(a, skuId);
    await complete(a, oa);
    await passDays(8); // A's order settled
    const ob = await buy(b, skuId); // pays A 10.00, pending until B's order settles
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 1000, pendingOut: 0 });
    await refund(a, oa);
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 0, pendingOut: 0 });
    expect((await entries(a))[0]).toMatchObject({ receivedFen: 0, status: 'cancelled' });
    await complete(b, ob);
    await passDays(8);
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 0, pendingOut: 0 });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('cancels a pending payout the refunded order funded; the entry waits again in its old place', async () => {
    await publish(QUEUE_ONLY);
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 10 });
    const [a, b, c] = [await shopper(), await shopper(), await shopper()];
    await buy(a, skuId); // not completed: A's payouts stay pending
    const ob = await buy(b, skuId);
    await complete(b, ob);
    await passDays(8); // B's order settled
    expect(await cash(a)).toMatchObject({ pendingIn: 1000 });
    await refund(b, ob);
    expect(await cash(a)).toEqual({ available: 0, pendingIn: 0, pendingOut: 0 });
    expect((await entries(a))[0]).toMatchObject({ receivedFen: 0, status: 'waiting', position: 1 });
    await buy(c, skuId);
    expect((await entries(a))[0]).toMatchObject({ receivedFen: 1000, position: 1 });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('takes back nothing that is already available', async () => {
    await publish(QUEUE_ONLY);
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 10 });
    const [a, b] = [await shopper(), await shopper()];
    const oa = await buy(a, skuId);
    const ob = await buy(b, skuId);
    await complete(a, oa);
    await complete(b, ob);
    await passDays(8);
    expect(await cash(a)).toMatchObject({ available: 1000, pendingIn: 0 });
    await refund(a, oa);
    await refund(b, ob);
    expect(await cash(a)).toEqual({ available: 1000, pendingIn: 0, pendingOut: 0 });
  });
});
