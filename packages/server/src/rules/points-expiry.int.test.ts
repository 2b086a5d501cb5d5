import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { inTx } from '../db/tx.ts';
import type { Job } from '../db/schema.ts';
import {
  balanceOf,
  merchantAccount,
  transfer,
  userAccount,
  verifyLedger,
} from '../ledger/index.ts';
import { setCommerceConfig } from '../orders/config.ts';
import {
  addressOf,
  buyAndPay,
  deliver,
  fund,
  idemKey,
  placeOrder,
  quickShopper,
  quickStaff,
  sandboxNotification,
  seedSku,
  refundWhole,
  shipAndComplete as shipAndCompleteAs,
} from '../orders/testing.ts';
import { JOB_POINTS_EXPIRY, pointsExpiryJobs } from './points-lots.ts';

/**
 * Points expiry on the server (docs/models/cashback-points.md), end to end over HTTP: lots from cashback, spent
 * oldest first at checkout, forfeited at their expiry by the `points.expire` job; refunds
 * give a new lot; the wallet tells the shopper before.
 */
let t: TestApp;
let admin: Caller;
const DAY = 86_400_000;
const MIN = 60_000;

beforeAll(async () => {
  t = await testApp();
  // 1 point = 1.00 yuan at checkout: the rules' default fenPerPoint (100)
  setCommerceConfig(t.deps, {
    payMinutes: 30,
    autoCompleteDays: 10,
    points: { enabled: true, maxSharePct: 100 },
  });
  admin = await quickStaff(t, 'admin');
});
afterAll(async () => t.close());

const CASHBACK_ONLY = {
  settleAfterDays: 7,
  referral: { enabled: false },
  commission: { enabled: false },
  queueRebate: { enabled: false },
  cashback: { enabled: true, form: 'points', pointsPerYuan: 0.05 },
};

async function publish(settings: Record<string, unknown>) {
  const res = await admin.request({
    method: 'POST',
    url: '/api/v1/admin/rules',
    payload: { settings },
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function buyer(): Promise<Caller & { addressId: number }> {
  const c = await quickShopper(t);
  return { ...c, addressId: await addressOf(c) };
}

const shipAndComplete = (c: Caller, orderId: number) => shipAndCompleteAs(admin, c, orderId);
const refund = (c: Caller, orderId: number) => refundWhole(t, admin, c, orderId);

/** Moves the clock and runs what became due, each job at its own time (as the simulator). */
async function advance(ms: number) {
  const target = t.clock.now().getTime() + ms;
  for (;;) {
    const next = await t.deps.db
      .selectFrom('jobs')
      .select('run_at')
      .where('status', '=', 'queued')
      .where('run_at', '<=', new Date(target))
      .orderBy('run_at')
      .limit(1)
      .executeTakeFirst();
    if (!next) break;
    const at = new Date(next.run_at).getTime();
    if (at > t.clock.now().getTime()) t.clock.set(new Date(at));
    await t.jobs.runDue(10_000);
  }
  t.clock.set(new Date(target));
  await t.jobs.runDue(10_000);
}

const points = async (c: Caller) => balanceOf(t.deps.db, userAccount(c.userId, 'points'));

const lotsOf = (c: Caller) =>
  t.deps.db
    .selectFrom('points_lots')
    .selectAll()
    .where('user_id', '=', c.userId)
    .orderBy('id')
    .execute();

const expiries = (c: Caller) =>
  t.deps.db
    .selectFrom('ledger_transfers')
    .select(['amount', 'source_id', 'idempotency_key'])
    .where('reason', '=', 'points.expired')
    .where('debit_account_id', 'in', (eb) =>
      eb
        .selectFrom('ledger_accounts')
        .select('id')
        .where('owner_type', '=', 'user')
        .where('owner_id', '=', String(c.userId))
        .where('asset', '=', 'points'),
    )
    .orderBy('id')
    .execute();

interface WalletBody {
  points: { available: number; pendingOut: number };
  pointsExpiry: {
    upcoming: { date: string; expiresAt: string; points: number }[];
    expiringSoon: number;
    soonDays: number;
  };
}
const wallet = async (c: Caller) =>
  (await c.request({ method: 'GET', url: '/api/v1/wallet' })).json() as WalletBody;

/** Local (Asia/Shanghai) date of an instant. */
const shanghaiDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

async function stuckJobs() {
  return t.deps.db
    .selectFrom('jobs')
    .select(['kind', 'last_error'])
    .where('last_error', 'is not', null)
    .where('status', '<>', 'done')
    .execute();
}

describe(`points expiry on the server (${DB_KIND})`, () => {
  it('cashback lots from two orders: spending takes the older first, expiry forfeits only what is left of it', async () => {
    await publish({ ...CASHBACK_ONLY, points: { expiryDays: 30 } });
    const a = await buyer();
    const p200 = await seedSku(t, { priceFen: 20_000, stock: 100 });
    const p400 = await seedSku(t, { priceFen: 40_000, stock: 100 });
    const p10 = await seedSku(t, { priceFen: 1_000, stock: 100 });

    // day 0: 200.00 → 10 points, available after the 7-day window
    const o1 = await buyAndPay(t, a, {
      items: [{ skuId: p200.skuId, qty: 1 }],
      addressId: a.addressId,
    });
    await shipAndComplete(a, o1);
    const lot1At = t.clock.now().getTime() + 7 * DAY;
    await advance(10 * DAY);
    // day 10: 400.00 → 20 points
    const o2 = await buyAndPay(t, a, {
      items: [{ skuId: p400.skuId, qty: 1 }],
      addressId: a.addressId,
    });
    await shipAndComplete(a, o2);
    const lot2At = t.clock.now().getTime() + 7 * DAY;
    await advance(8 * DAY);
    expect((await points(a)).available).toBe(30);
    let lots = await lotsOf(a);
    expect(lots.map((l) => [l.amount, l.remaining])).toEqual([
      [10, 10],
      [20, 20],
    ]);
    expect(new Date(lots[0]!.expires_at!).getTime()).toBe(lot1At + 30 * DAY);
    expect(new Date(lots[1]!.expires_at!).getTime()).toBe(lot2At + 30 * DAY);

    // day 18: 4 points pay part of a 10.00 order → the older lot gives them
    const spent = await buyAndPay(t, a, {
      items: [{ skuId: p10.skuId, qty: 1 }],
      addressId: a.addressId,
      usePoints: true,
      maxPoints: 4,
    });
    const order = (await a.request({ method: 'GET', url: `/api/v1/orders/${spent}` })).json();
    expect(order.state).toBe('paid');
    lots = await lotsOf(a);
    expect(lots.map((l) => l.remaining)).toEqual([6, 20]);

    // the wallet tells before: 6 on the first date, 20 on the second
    const w = await wallet(a);
    expect(w.points.available).toBe(26);
    expect(w.pointsExpiry.upcoming).toEqual([
      {
        date: shanghaiDate(lot1At + 30 * DAY),
        expiresAt: new Date(lot1At + 30 * DAY).toISOString(),
        points: 6,
      },
      {
        date: shanghaiDate(lot2At + 30 * DAY),
        expiresAt: new Date(lot2At + 30 * DAY).toISOString(),
        points: 20,
      },
    ]);
    expect(w.pointsExpiry.soonDays).toBe(30);
    expect(w.pointsExpiry.expiringSoon).toBe(26); // both within 30 days of day 18

    // one minute before the first expiry nothing has gone
    await advance(lot1At + 30 * DAY - MIN - t.clock.now().getTime());
    expect((await points(a)).available).toBe(26);
    await advance(2 * MIN);
    expect((await points(a)).available).toBe(20);
    expect((await expiries(a)).map((e) => e.amount)).toEqual([6]);
    lots = await lotsOf(a);
    expect(lots.map((l) => [l.remaining, l.expired_points])).toEqual([
      [0, 6],
      [20, 0],
    ]);
    // the wallet's history shows a readable line
    const hist = await a.request({
      method: 'GET',
      url: '/api/v1/wallet/history?asset=points',
      headers: { 'accept-language': 'en' },
    });
    const line = (
      hist.json().items as { reason: string; description: string; amount: number }[]
    )[0]!;
    expect(line).toMatchObject({
      reason: 'points.expired',
      description: 'Points expired',
      amount: -6,
    });
    const zh = await a.request({ method: 'GET', url: '/api/v1/wallet/history?asset=points' });
    expect(zh.json().items[0].description).toBe('积分过期');
    expect((await wallet(a)).pointsExpiry.upcoming.map((u) => u.points)).toEqual([20]);

    // the second lot goes at its own date
    await advance(lot2At + 30 * DAY - t.clock.now().getTime() + MIN);
    expect((await points(a)).available).toBe(0);
    expect((await expiries(a)).map((e) => e.amount)).toEqual([6, 20]);
    expect((await wallet(a)).pointsExpiry).toMatchObject({ upcoming: [], expiringSoon: 0 });
    expect(await stuckJobs()).toEqual([]);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('points returned by a refund form a new lot with a new expiry', async () => {
    await publish({ ...CASHBACK_ONLY, cashback: { enabled: false }, points: { expiryDays: 30 } });
    const b = await buyer();
    const sku = await seedSku(t, { priceFen: 2_000, stock: 100 });
    await fund(t, b.userId, 'points', 10);
    const firstExpiry = t.clock.now().getTime() + 30 * DAY;
    await advance(5 * DAY);
    const o = await buyAndPay(t, b, {
      items: [{ skuId: sku.skuId, qty: 1 }],
      addressId: b.addressId,
      usePoints: true,
      maxPoints: 8,
    });
    expect((await lotsOf(b)).map((l) => l.remaining)).toEqual([2]);
    await advance(DAY);
    await refund(b, o);
    const refundedAt = t.clock.now().getTime();
    expect((await points(b)).available).toBe(10);
    const lots = await lotsOf(b);
    expect(lots.map((l) => [l.amount, l.remaining])).toEqual([
      [10, 2],
      [8, 8],
    ]);
    const granted = await t.deps.db
      .selectFrom('ledger_transfers')
      .select('reason')
      .where('id', '=', lots[1]!.granted_transfer_id!)
      .executeTakeFirstOrThrow();
    expect(granted.reason).toBe('order.refund.points');
    expect(new Date(lots[1]!.expires_at!).getTime()).toBe(refundedAt + 30 * DAY);

    // the first lot's date: only its 2 go; the refund's 8 stay until their own date
    await advance(firstExpiry - t.clock.now().getTime() + MIN);
    expect((await points(b)).available).toBe(8);
    await advance(refundedAt + 30 * DAY - t.clock.now().getTime() + MIN);
    expect((await points(b)).available).toBe(0);
    expect((await expiries(b)).map((e) => e.amount)).toEqual([2, 8]);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('never takes points reserved by an order waiting for payment', async () => {
    await publish({ ...CASHBACK_ONLY, cashback: { enabled: false }, points: { expiryDays: 30 } });
    const c = await buyer();
    const sku = await seedSku(t, { priceFen: 2_000, stock: 100 });
    await fund(t, c.userId, 'points', 10);
    const expiry = t.clock.now().getTime() + 30 * DAY;
    await advance(30 * DAY - 10 * MIN);
    const placed = await placeOrder(c, {
      items: [{ skuId: sku.skuId, qty: 1 }],
      addressId: c.addressId,
      usePoints: true,
      maxPoints: 8,
    });
    expect(placed.statusCode, placed.body).toBe(201);
    // reserved points will take the lot when paid: only 2 are shown as expiring
    expect((await wallet(c)).pointsExpiry.upcoming).toEqual([
      { date: shanghaiDate(expiry), expiresAt: new Date(expiry).toISOString(), points: 2 },
    ]);
    await advance(11 * MIN); // past the expiry, before the order is cancelled for non-payment
    expect(await points(c)).toMatchObject({ available: 0, pendingOut: 8 });
    expect((await expiries(c)).map((e) => e.amount)).toEqual([2]);
    const { notification } = await sandboxNotification(t, c, placed.json().id);
    expect((await deliver(t, notification)).statusCode).toBe(204);
    expect(await points(c)).toMatchObject({ available: 0, pendingOut: 0 });
    expect((await lotsOf(c)).map((l) => [l.remaining, l.expired_points])).toEqual([[0, 2]]);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('points spared for an unpaid order are forfeited once the order is cancelled', async () => {
    await publish({ ...CASHBACK_ONLY, cashback: { enabled: false }, points: { expiryDays: 30 } });
    const c = await buyer();
    const sku = await seedSku(t, { priceFen: 2_000, stock: 100 });
    await fund(t, c.userId, 'points', 10);
    await advance(30 * DAY - 10 * MIN);
    const placed = await placeOrder(c, {
      items: [{ skuId: sku.skuId, qty: 1 }],
      addressId: c.addressId,
      usePoints: true,
      maxPoints: 8,
    });
    expect(placed.statusCode, placed.body).toBe(201);
    await advance(11 * MIN);
    expect((await expiries(c)).map((e) => e.amount)).toEqual([2]);
    const cancelled = await c.request({
      method: 'POST',
      url: `/api/v1/orders/${placed.json().id}/cancel`,
      headers: { 'idempotency-key': idemKey() },
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBeLessThan(300);
    // the 8 are back, on a lot already past its date: the second look takes them
    expect(await points(c)).toMatchObject({ available: 8, pendingOut: 0 });
    await advance(3 * 60 * MIN);
    expect((await expiries(c)).map((e) => e.amount)).toEqual([2, 8]);
    expect(await points(c)).toMatchObject({ available: 0, pendingOut: 0 });
    expect((await lotsOf(c)).map((l) => [l.remaining, l.expired_points])).toEqual([[0, 10]]);
    expect(await stuckJobs()).toEqual([]);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('is idempotent: the job run again, or twice at once, forfeits a lot once', async () => {
    await publish({ ...CASHBACK_ONLY, cashback: { enabled: false }, points: { expiryDays: 30 } });
    const users = [await buyer(), await buyer(), await buyer()];
    for (const [i, u] of users.entries()) await fund(t, u.userId, 'points', 10 + i);
    const dueBy = new Date(t.clock.now().getTime() + 30 * DAY);
    t.clock.set(new Date(dueBy.getTime() + MIN));
    const handler = pointsExpiryJobs()[JOB_POINTS_EXPIRY]!;
    const job = {
      id: 0,
      kind: JOB_POINTS_EXPIRY,
      payload: { dueBy: dueBy.toISOString() },
      run_at: dueBy,
    } as unknown as Job;
    // two runs of the same instant at once (two server processes), then again
    await Promise.all([
      inTx(t.deps.db, (tx) => handler(tx, job, t.clock.now())),
      inTx(t.deps.db, (tx) => handler(tx, job, t.clock.now())),
    ]);
    await inTx(t.deps.db, (tx) => handler(tx, job, t.clock.now()));
    // and the queued jobs themselves, run twice
    await t.jobs.runDue(10_000);
    await t.deps.db
      .updateTable('jobs')
      .set({ status: 'queued' })
      .where('kind', '=', JOB_POINTS_EXPIRY)
      .where('run_at', '=', dueBy)
      .execute();
    await Promise.all([t.jobs.runDue(10_000), t.jobs.runDue(10_000)]);
    for (const [i, u] of users.entries()) {
      expect((await expiries(u)).map((e) => e.amount)).toEqual([10 + i]);
      expect((await points(u)).available).toBe(0);
    }
    expect(await stuckJobs()).toEqual([]);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('a spend racing the expiry: each point is either spent or forfeited, never both', async () => {
    await publish({ ...CASHBACK_ONLY, cashback: { enabled: false }, points: { expiryDays: 30 } });
    const handler = pointsExpiryJobs()[JOB_POINTS_EXPIRY]!;
    for (let round = 0; round < 4; round++) {
      const u = await buyer();
      await fund(t, u.userId, 'points', 10);
      const dueBy = new Date(t.clock.now().getTime() + 30 * DAY);
      t.clock.advance(DAY);
      await fund(t, u.userId, 'points', 5); // a younger lot, not due
      t.clock.set(new Date(dueBy.getTime() + MIN));
      const job = {
        id: 0,
        kind: JOB_POINTS_EXPIRY,
        payload: { dueBy: dueBy.toISOString() },
        run_at: dueBy,
      } as unknown as Job;
      const spend = inTx(t.deps.db, (tx) =>
        transfer(tx, {
          debit: userAccount(u.userId, 'points'),
          credit: merchantAccount('points'),
          amount: 12,
          reason: 'admin.adjustment',
          at: t.clock.now(),
        }),
      );
      const expire = inTx(t.deps.db, (tx) => handler(tx, job, t.clock.now()));
      await Promise.all(round % 2 ? [spend, expire] : [expire, spend]);
      const spent = await spend;
      const forfeited = (await expiries(u)).reduce((s, e) => s + e.amount, 0);
      const left = (await points(u)).available;
      const lots = await lotsOf(u);
      if (spent.ok) {
        // spent first: 10 + 2 from the younger lot, nothing left to forfeit in the old one
        expect([forfeited, left]).toEqual([0, 3]);
        expect(lots.map((l) => l.remaining)).toEqual([0, 3]);
      } else {
        // expired first: 10 forfeited, the spend of 12 > 5 was refused
        expect([forfeited, left]).toEqual([10, 5]);
        expect(lots.map((l) => l.remaining)).toEqual([0, 5]);
      }
      await t.jobs.runDue(10_000);
    }
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('year end: points expire at 00:00 local on 1 January, whoever holds them', async () => {
    await publish({
      ...CASHBACK_ONLY,
      cashback: { enabled: false },
      points: { expiryDays: null, expireAtYearEnd: true },
    });
    // 2026-12-20 10:00 Shanghai
    t.clock.set(new Date(Math.max(t.clock.now().getTime(), Date.parse('2026-12-20T02:00:00Z'))));
    const users = [await buyer(), await buyer()];
    await fund(t, users[0]!.userId, 'points', 50);
    await fund(t, users[1]!.userId, 'points', 7);
    const newYear = Date.parse('2027-01-01T00:00:00+08:00');
    expect(new Date((await lotsOf(users[0]!))[0]!.expires_at!).getTime()).toBe(newYear);
    expect((await wallet(users[0]!)).pointsExpiry).toMatchObject({
      upcoming: [{ date: '2027-01-01', points: 50 }],
      expiringSoon: 50,
    });
    await advance(newYear - MIN - t.clock.now().getTime());
    expect((await points(users[0]!)).available).toBe(50);
    await advance(MIN);
    expect((await points(users[0]!)).available).toBe(0);
    expect((await points(users[1]!)).available).toBe(0);
    // points granted in the new year live until the next one
    await fund(t, users[1]!.userId, 'points', 3);
    expect(new Date((await lotsOf(users[1]!))[1]!.expires_at!).getTime()).toBe(
      Date.parse('2028-01-01T00:00:00+08:00'),
    );
    expect(await stuckJobs()).toEqual([]);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('without expiry in the rules, lots never expire', async () => {
    await publish({ ...CASHBACK_ONLY, cashback: { enabled: false } });
    const d = await buyer();
    await fund(t, d.userId, 'points', 5);
    expect((await lotsOf(d))[0]!.expires_at).toBeNull();
    expect((await wallet(d)).pointsExpiry).toMatchObject({ upcoming: [], expiringSoon: 0 });
  });
});
