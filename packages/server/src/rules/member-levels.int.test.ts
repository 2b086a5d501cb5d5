import { simulate } from '@fanli/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { inTx } from '../db/tx.ts';
import { balanceOf, userAccount, verifyLedger } from '../ledger/index.ts';
import { setCommerceConfig } from '../orders/config.ts';
import { settleOrder } from '../orders/lifecycle.ts';
import {
  addressOf,
  buyAndPay,
  deliver,
  placeOrder,
  quickShopper,
  quickStaff,
  sandboxNotification,
  seedSku,
  refundWhole,
  shipAndComplete as shipAndCompleteAs,
} from '../orders/testing.ts';

/**
 * Members over HTTP (docs/models/members.md): settled orders earn growth value, the level
 * rises by itself, and the next order gets the level's discount, points multiplier and
 * queue pct; a refund inside the window earns nothing; concurrent settlements add up;
 * and the simulator reaches the same balances as the server on one scenario.
 */
let t: TestApp;
let admin: Caller;
const MIN = 60_000;
const DAY = 86_400_000;

const SILVER = {
  id: 'silver',
  name: '白银会员',
  minGrowth: 100,
  discountPct: 5,
  pointsMultiplier: 2,
  commissionPct: 15,
};
const GOLD = {
  id: 'gold',
  name: '黄金会员',
  minGrowth: 1000,
  discountPct: 10,
  pointsMultiplier: 3,
  commissionPct: 20,
};
const SETTINGS = {
  settleAfterDays: 7,
  referral: { enabled: false },
  commission: { enabled: true, depth: 1, level1Pct: 10 },
  cashback: { enabled: true, form: 'points', pointsPerYuan: 0.05 },
  queueRebate: { enabled: true, queue: 'product', levelPct: { silver: 150 } },
  members: { enabled: true, growthPerYuan: 1, levels: [SILVER, GOLD] },
};

beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, { payMinutes: 30, autoCompleteDays: 30 });
  admin = await quickStaff(t, 'admin');
  await publish(SETTINGS);
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

type Buyer = Caller & { addressId: number };

async function buyer(referrer?: Caller): Promise<Buyer> {
  const c = await quickShopper(t);
  if (referrer)
    await t.deps.db
      .updateTable('users')
      .set({ referrer_id: referrer.userId, referred_at: t.clock.now() })
      .where('id', '=', c.userId)
      .execute();
  return { ...c, addressId: await addressOf(c) };
}

const buy = (c: Buyer, skuId: number, qty = 1) =>
  buyAndPay(t, c, { items: [{ skuId, qty }], addressId: c.addressId });

const shipAndComplete = (c: Caller, orderId: number) => shipAndCompleteAs(admin, c, orderId);
const refund = (c: Caller, orderId: number) => refundWhole(t, admin, c, orderId);

async function passWindow(days = 8) {
  t.clock.advance(days * DAY);
  await t.jobs.runDue(10_000);
}

const member = async (c: Caller) => {
  const res = await c.request({ method: 'GET', url: '/api/v1/me/member' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    enabled: boolean;
    level: string | null;
    levelName: string | null;
    growth: number;
    next: { level: string; name: string; minGrowth: number; growthNeeded: number } | null;
  };
};
const points = async (c: Caller) => balanceOf(t.deps.db, userAccount(c.userId, 'points'));
const cash = async (c: Caller) => balanceOf(t.deps.db, userAccount(c.userId, 'cash'));
const orderView = async (c: Caller, id: number) =>
  (await c.request({ method: 'GET', url: `/api/v1/orders/${id}` })).json() as {
    memberDiscountFen: number;
    payableFen: number;
  };

describe(`member levels by growth value (${DB_KIND})`, () => {
  it('settled orders earn growth, the level rises, and the next order gets its benefits', async () => {
    const p168 = (await seedSku(t, { priceFen: 16800, stock: 100 })).skuId;
    const p100 = (await seedSku(t, { priceFen: 10000, stock: 100 })).skuId;
    const r = await buyer();
    const a = await buyer(r);

    const o1 = await buy(a, p168);
    expect(await orderView(a, o1)).toMatchObject({ memberDiscountFen: 0, payableFen: 16800 });
    await shipAndComplete(a, o1);
    // paid and completed is not enough: growth waits for the after-sale window
    expect(await member(a)).toEqual({
      enabled: true,
      level: null,
      levelName: null,
      growth: 0,
      next: { level: 'silver', name: '白银会员', minGrowth: 100, growthNeeded: 100 },
    });
    await passWindow();
    expect(await member(a)).toEqual({
      enabled: true,
      level: 'silver',
      levelName: '白银会员',
      growth: 168,
      next: { level: 'gold', name: '黄金会员', minGrowth: 1000, growthNeeded: 832 },
    });

    // the checkout shows the member discount as its own line
    const preview = await a.request({
      method: 'POST',
      url: '/api/v1/checkout/preview',
      payload: { items: [{ skuId: p100, qty: 1 }] },
    });
    expect(preview.json()).toMatchObject({
      itemsFen: 10000,
      memberDiscountFen: 500,
      payableFen: 9500,
    });
    const pointsBefore = await points(a);
    const o2 = await buy(a, p100);
    expect(await orderView(a, o2)).toMatchObject({ memberDiscountFen: 500, payableFen: 9500 });
    // cashback ⌊95.00 × 0.05⌋ = 4 points × 2
    expect((await points(a)).pendingIn - pointsBefore.pendingIn).toBe(8);
    // the level's queue pct: 95.00 × 150 %
    const entries = (await a.request({ method: 'GET', url: '/api/v1/queue/entries' })).json()
      .items as { orderId: number; entitlementFen: number }[];
    expect(entries.find((e) => e.orderId === o2)).toMatchObject({ entitlementFen: 14250 });
    // R has no level: commission 10 % of each paid amount
    expect(await cash(r)).toMatchObject({ available: 1680, pendingIn: 950 });

    // an admin makes R gold: the next commission is gold's 20 %
    const given = await admin.request({
      method: 'POST',
      url: `/api/v1/admin/users/${r.userId}/level`,
      payload: { level: 'gold' },
    });
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json()).toMatchObject({ memberLevel: 'gold', growth: 0 });
    await buy(a, p100);
    expect(await cash(r)).toMatchObject({ available: 1680, pendingIn: 950 + 1900 });
    const seen = await admin.request({
      method: 'GET',
      url: `/api/v1/admin/users/${r.userId}/member`,
    });
    expect(seen.json()).toMatchObject({
      level: 'gold',
      levelName: '黄金会员',
      growth: 0,
      next: null,
      levels: [
        { id: 'silver', name: '白银会员', minGrowth: 100 },
        { id: 'gold', name: '黄金会员', minGrowth: 1000 },
      ],
    });

    // the rule preview replays the levels: A starts as o1 was placed (no level) and rises
    // as o1 settles; R keeps the level the admin gave
    const replay = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/rules/preview',
      payload: { settings: SETTINGS, days: 30 },
    });
    expect(replay.statusCode, replay.body).toBe(200);
    const members = replay.json().result.members as Record<string, unknown>;
    expect(members[String(a.userId)]).toEqual({ level: 'silver', growth: 168 });
    expect(members[String(r.userId)]).toEqual({ level: 'gold', growth: 0 });
  });

  it('an order placed before the upgrade keeps the level it was placed with', async () => {
    const p100 = (await seedSku(t, { priceFen: 10000, stock: 100 })).skuId;
    const a = await buyer();
    const o1 = await buy(a, p100, 2);
    await shipAndComplete(a, o1);
    t.clock.advance(7 * DAY - 10 * MIN);
    // placed minutes before o1 settles, paid after: no discount, no multiplier, base pct
    const placed = await placeOrder(a, {
      items: [{ skuId: p100, qty: 1 }],
      addressId: a.addressId,
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const o2 = placed.json().id as number;
    t.clock.advance(15 * MIN); // o1 settles; o2 is still within its pay deadline
    await t.jobs.runDue(10_000);
    expect((await member(a)).level).toBe('silver');
    const { notification } = await sandboxNotification(t, a, o2);
    expect((await deliver(t, notification)).statusCode).toBe(204);
    expect(await orderView(a, o2)).toMatchObject({ memberDiscountFen: 0, payableFen: 10000 });
    const entries = (await a.request({ method: 'GET', url: '/api/v1/queue/entries' })).json()
      .items as { orderId: number; entitlementFen: number }[];
    expect(entries.find((e) => e.orderId === o2)).toMatchObject({ entitlementFen: 13000 });
  });

  it('a refund inside the window earns no growth (no buy-upgrade-refund)', async () => {
    const p = (await seedSku(t, { priceFen: 200_000, stock: 100 })).skuId;
    const b = await buyer();
    const o = await buy(b, p);
    await shipAndComplete(b, o);
    await refund(b, o);
    await passWindow();
    expect(await member(b)).toMatchObject({ level: null, growth: 0 });
    // after the window, a refund takes back no growth: levels never go down by themselves
    const o2 = await buy(b, p);
    await shipAndComplete(b, o2);
    await passWindow();
    expect(await member(b)).toMatchObject({ level: 'gold', growth: 2000 });
    await refund(b, o2);
    expect(await member(b)).toMatchObject({ level: 'gold', growth: 2000 });
  });

  it('orders of one user settling concurrently add exactly the sum of their growth', async () => {
    // members only: no reward of the buyer's is posted at settlement, so no ledger lock
    // orders these transactions — only the growth update itself keeps the sum right
    await publish({
      ...SETTINGS,
      commission: { enabled: false },
      cashback: { enabled: false },
      queueRebate: { enabled: false },
    });
    const prices = [12345, 23456, 34567, 45678, 56789, 67890];
    const c = await buyer();
    const orders: number[] = [];
    for (const price of prices) {
      const sku = (await seedSku(t, { priceFen: price, stock: 10 })).skuId;
      const o = await buy(c, sku);
      await shipAndComplete(c, o);
      orders.push(o);
    }
    t.clock.advance(8 * DAY);
    const at = t.clock.now();
    const settled = await Promise.all(
      orders.map((id) => inTx(t.deps.db, (tx) => settleOrder(tx, id, at))),
    );
    expect(settled).toEqual(orders.map(() => true));
    const sum = prices.reduce((s, p) => s + Math.floor(p / 100), 0);
    expect(sum).toBe(2403);
    expect(await member(c)).toMatchObject({ level: 'gold', growth: sum });
    // the settle jobs find the orders settled already: nothing is counted twice
    await t.jobs.runDue(10_000);
    expect((await member(c)).growth).toBe(sum);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
    await publish(SETTINGS);
  });
});

describe(`simulator and server agree on members (${DB_KIND})`, () => {
  it('one scenario: the same balances, levels and growth', async () => {
    const startMs = t.clock.now().getTime() + 30 * DAY;
    const at = (day: number, minute = 0) => startMs + day * DAY + minute * MIN;
    const prices = { P1: 16800, P2: 10000, P3: 99_999 };
    type Step =
      | { atMs: number; kind: 'order'; order: string; user: string; product: keyof typeof prices }
      | { atMs: number; kind: 'pay' | 'complete' | 'refund'; order: string }
      | { atMs: number; kind: 'setLevel'; user: string; level: string };
    const steps: Step[] = [
      // A reaches silver with o1; o2 (big) is refunded inside its window
      { atMs: at(0), kind: 'order', order: 'o1', user: 'A', product: 'P1' },
      { atMs: at(0, 1), kind: 'pay', order: 'o1' },
      { atMs: at(1), kind: 'complete', order: 'o1' },
      { atMs: at(1, 5), kind: 'order', order: 'o2', user: 'A', product: 'P3' },
      { atMs: at(1, 6), kind: 'pay', order: 'o2' },
      { atMs: at(2), kind: 'complete', order: 'o2' },
      { atMs: at(3), kind: 'refund', order: 'o2' },
      // B buys the same product twice: the queue pays the earlier entry
      { atMs: at(2, 30), kind: 'order', order: 'o3', user: 'B', product: 'P2' },
      { atMs: at(2, 31), kind: 'pay', order: 'o3' },
      { atMs: at(2, 40), kind: 'complete', order: 'o3' },
      // R is made silver by hand; A (silver since o1 settled on day 8) and B buy again
      { atMs: at(9), kind: 'setLevel', user: 'R', level: 'silver' },
      { atMs: at(9, 10), kind: 'order', order: 'o4', user: 'A', product: 'P2' },
      { atMs: at(9, 11), kind: 'pay', order: 'o4' },
      { atMs: at(9, 20), kind: 'order', order: 'o5', user: 'B', product: 'P2' },
      { atMs: at(9, 21), kind: 'pay', order: 'o5' },
      { atMs: at(10), kind: 'complete', order: 'o4' },
      { atMs: at(10, 1), kind: 'complete', order: 'o5' },
    ];
    const endMs = at(25);
    const referrers: Record<string, string | null> = { R: null, A: 'R', B: 'R' };

    // the simulator
    const iso = (ms: number) => new Date(ms).toISOString();
    const events: Record<string, unknown>[] = Object.entries(referrers).map(([user, ref]) => ({
      at: iso(startMs - MIN),
      type: 'register',
      user,
      ...(ref ? { referrer: ref } : {}),
    }));
    for (const s of steps) {
      if (s.kind === 'order')
        events.push({
          at: iso(s.atMs),
          type: 'order',
          order: s.order,
          user: s.user,
          lines: [{ product: s.product, qty: 1 }],
        });
      else if (s.kind === 'setLevel')
        events.push({ at: iso(s.atMs), type: 'setLevel', user: s.user, level: s.level });
      else events.push({ at: iso(s.atMs), type: s.kind, order: s.order });
    }
    events.push({ at: iso(endMs), type: 'tick' });
    const outcome = simulate({
      timezone: 'Asia/Shanghai',
      seed: 1,
      settings: SETTINGS,
      products: Object.entries(prices).map(([id, priceFen]) => ({ id, priceFen })),
      events,
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const expected: Record<string, unknown> = {};
    for (const user of Object.keys(referrers)) {
      const u = outcome.result.users[user]!;
      expected[user] = {
        cashAvailableFen: u.cashAvailableFen,
        cashPendingFen: u.cashPendingFen,
        pointsAvailable: u.pointsAvailable,
        pointsPending: u.pointsPending,
        ...outcome.result.members[user],
      };
    }
    // the scenario really exercises the levels
    expect(outcome.result.members).toEqual({
      R: { level: 'silver', growth: 0 },
      A: { level: 'silver', growth: 168 + 95 },
      // B's o5 was placed minutes before o3 settled: full price, so 100 growth
      B: { level: 'silver', growth: 100 + 100 },
    });

    // the server, over HTTP, on the test clock
    t.clock.set(new Date(startMs - MIN));
    admin = await quickStaff(t, 'admin'); // sessions expire: the clock travelled
    await publish(SETTINGS);
    const users: Record<string, Buyer> = {};
    for (const [user, ref] of Object.entries(referrers))
      users[user] = await buyer(ref ? users[ref] : undefined);
    const skus: Record<string, number> = {};
    for (const [id, priceFen] of Object.entries(prices))
      skus[id] = (await seedSku(t, { priceFen, stock: 100 })).skuId;
    const orders: Record<string, { id: number; user: Buyer }> = {};
    for (const s of steps) {
      t.clock.set(new Date(s.atMs));
      await t.jobs.runDue(10_000);
      if (s.kind === 'order') {
        const u = users[s.user]!;
        const placed = await placeOrder(u, {
          items: [{ skuId: skus[s.product]!, qty: 1 }],
          addressId: u.addressId,
        });
        expect(placed.statusCode, placed.body).toBe(201);
        orders[s.order] = { id: placed.json().id, user: u };
      } else if (s.kind === 'setLevel') {
        const res = await admin.request({
          method: 'POST',
          url: `/api/v1/admin/users/${users[s.user]!.userId}/level`,
          payload: { level: s.level },
        });
        expect(res.statusCode, res.body).toBe(200);
      } else {
        const o = orders[s.order]!;
        if (s.kind === 'pay') {
          const { notification } = await sandboxNotification(t, o.user, o.id);
          expect((await deliver(t, notification)).statusCode).toBe(204);
        } else if (s.kind === 'complete') await shipAndComplete(o.user, o.id);
        else await refund(o.user, o.id);
      }
    }
    t.clock.set(new Date(endMs));
    await t.jobs.runDue(10_000);
    const actual: Record<string, unknown> = {};
    for (const [user, u] of Object.entries(users)) {
      const c = await cash(u);
      const p = await points(u);
      const m = await member(u);
      actual[user] = {
        cashAvailableFen: c.available,
        cashPendingFen: c.pendingIn,
        pointsAvailable: p.available,
        pointsPending: p.pendingIn,
        level: m.level,
        growth: m.growth,
      };
    }
    expect(actual).toEqual(expected);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  }, 120_000);
});
