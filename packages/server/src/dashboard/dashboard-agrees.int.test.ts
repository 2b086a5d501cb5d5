import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { setCommerceConfig } from '../orders/config.ts';
import {
  addressOf,
  buyAndPay,
  fund,
  idemKey,
  quickShopper,
  quickStaff,
  refundWhole,
  seedSku,
} from '../orders/testing.ts';

/**
 * The dashboard against the pages that detail its figures, over HTTP: the queue page
 * (liability, pending rewards), the order pages (paid, refunded), the users' balances
 * and the withdrawals page. A shop with waiting queue entries, pending payouts, paid,
 * refunded and partially refunded orders.
 */
let t: TestApp;
let admin: Caller;

type Buyer = Caller & { addressId: number };
const buyer = async (): Promise<Buyer> => {
  const c = await quickShopper(t);
  return { ...c, addressId: await addressOf(c) };
};

/** The buyer asks a refund of one line, staff approve it, the refund jobs run. */
async function refundLine(c: Caller, orderId: number, skuId: number) {
  const order = (await c.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })).json() as {
    lines: { id: number; skuId: number; qty: number }[];
  };
  const line = order.lines.find((l) => l.skuId === skuId)!;
  const asked = await c.request({
    method: 'POST',
    url: `/api/v1/orders/${orderId}/after-sales`,
    headers: { 'idempotency-key': idemKey() },
    payload: { kind: 'refund', reason: 'one too many', lines: [{ lineId: line.id, qty: 1 }] },
  });
  expect(asked.statusCode, asked.body).toBe(201);
  const approved = await admin.request({
    method: 'POST',
    url: `/api/v1/admin/after-sales/${(asked.json() as { id: number }).id}/approve`,
    headers: { 'idempotency-key': idemKey() },
    payload: {},
  });
  expect(approved.statusCode, approved.body).toBeLessThan(300);
  await t.jobs.runDue(10_000);
}

beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, { payMinutes: 30, autoCompleteDays: 10 });
  admin = await quickStaff(t, 'admin');
  const published = await admin.request({
    method: 'POST',
    url: '/api/v1/admin/rules',
    payload: {
      settings: {
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
      },
    },
  });
  expect(published.statusCode, published.body).toBe(201);
  const big = (await seedSku(t, { priceFen: 10000, stock: 100 })).skuId;
  const small = (await seedSku(t, { priceFen: 5000, stock: 100 })).skuId;
  const [a, b, c, d, e] = [
    await buyer(),
    await buyer(),
    await buyer(),
    await buyer(),
    await buyer(),
  ];
  // A waits in the queue; B's order pays A a pending 65.00 and B waits too
  await buyAndPay(t, a, { items: [{ skuId: big, qty: 1 }], addressId: a.addressId });
  await buyAndPay(t, b, { items: [{ skuId: big, qty: 1 }], addressId: b.addressId });
  // C pays 150.00, 30.00 of it from balance, and returns the 50.00 line
  await fund(t, c.userId, 'cash', 3000);
  const oc = await buyAndPay(t, c, {
    items: [
      { skuId: big, qty: 1 },
      { skuId: small, qty: 1 },
    ],
    addressId: c.addressId,
    useBalance: true,
  });
  await refundLine(c, oc, small);
  // D returns the whole order
  const od = await buyAndPay(t, d, { items: [{ skuId: big, qty: 1 }], addressId: d.addressId });
  await refundWhole(t, admin, d, od);
  // E holds available cash and points without buying
  await fund(t, e.userId, 'cash', 2000);
  await fund(t, e.userId, 'points', 700);
});
afterAll(async () => t.close());

describe(`the dashboard agrees with the pages behind its figures (${DB_KIND})`, () => {
  it('queue liability, pending rewards, sales, refunds, balances and withdrawals', async () => {
    const today = '2026-03-01';
    const dash = (
      await admin.request({
        method: 'GET',
        url: `/api/v1/admin/dashboard?from=${today}&to=${today}`,
      })
    ).json();

    // the queue page
    const queues = (await admin.request({ method: 'GET', url: '/api/v1/admin/queues' })).json() as {
      outstandingFen: number;
      rewards: { asset: string; state: string; amount: number }[];
    };
    const rewards = (asset: string, state: string) =>
      queues.rewards
        .filter((r) => r.asset === asset && r.state === state)
        .reduce((s, r) => s + r.amount, 0);
    expect(queues.outstandingFen).toBeGreaterThan(0);
    expect(rewards('cash', 'pending')).toBeGreaterThan(0);
    expect(dash.queue.outstandingEntitlementFen).toBe(queues.outstandingFen);
    expect(dash.rewards.pendingFen).toBe(rewards('cash', 'pending'));
    expect(dash.rewards.pendingPoints).toBe(rewards('points', 'pending'));

    // the order pages: what each order paid and what was refunded on it
    const orders = (
      await admin.request({ method: 'GET', url: '/api/v1/admin/orders?pageSize=100' })
    ).json().items as {
      paidAt: string | null;
      payableFen: number;
      balanceFen: number;
      refundedFen: number;
      refundedBalanceFen: number;
    }[];
    const paid = orders.filter((o) => o.paidAt !== null);
    const paidFen = paid.reduce((s, o) => s + o.payableFen + o.balanceFen, 0);
    const refundedFen = paid.reduce((s, o) => s + o.refundedFen + o.refundedBalanceFen, 0);
    // 100 + 100 + 150 + 100 paid; the 50.00 line and D's 100.00 refunded
    expect([paidFen, refundedFen]).toEqual([45000, 15000]);
    expect(dash.sales).toEqual({
      orders: paid.length,
      paidFen,
      refundedFen,
      gmvFen: paidFen - refundedFen,
      avgOrderFen: Math.floor(paidFen / paid.length),
    });
    expect(dash.daily).toEqual([
      expect.objectContaining({
        date: today,
        orders: paid.length,
        paidFen,
        refundedFen,
        gmvFen: paidFen - refundedFen,
      }),
    ]);

    // every user's balances, as the user page shows them
    const users = await t.deps.db.selectFrom('users').select('id').execute();
    let cash = 0;
    let points = 0;
    for (const u of users) {
      const detail = await admin.request({
        method: 'GET',
        url: `/api/v1/admin/dashboard/users/${u.id}`,
      });
      const { balances } = detail.json() as {
        balances: { cash: { available: number }; points: { available: number } };
      };
      cash += balances.cash.available;
      points += balances.points.available;
    }
    expect(cash).toBeGreaterThanOrEqual(2000);
    expect(dash.rewards.availableFen).toBe(cash);
    expect(dash.rewards.availablePoints).toBe(points);

    // the withdrawals page, paid ones
    const withdrawals = (
      await admin.request({
        method: 'GET',
        url: '/api/v1/admin/withdrawals?status=paid&pageSize=100',
      })
    ).json().items as { amountFen: number }[];
    expect(dash.rewards.withdrawnFen).toBe(withdrawals.reduce((s, w) => s + w.amountFen, 0));
  });
});
