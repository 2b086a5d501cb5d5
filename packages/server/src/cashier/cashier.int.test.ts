import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffUser, testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { setCommerceConfig } from '../orders/config.ts';
import {
  deliver,
  idemKey,
  quickShopper,
  quickStaff,
  sandboxNotification,
} from '../orders/testing.ts';
import { balanceOf, userAccount, verifyLedger } from '../ledger/index.ts';

let t: TestApp;
let cashier: Caller;
let admin: Caller;
beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, { payMinutes: 30, autoCompleteDays: 10 });
  cashier = await staffUser(t, 'cashier');
  admin = await quickStaff(t, 'admin');
});
afterAll(async () => t.close());

const charge = async (amountFen: number) => {
  const res = await cashier.request({
    method: 'POST',
    url: '/api/v1/cashier/charges',
    headers: { 'idempotency-key': idemKey() },
    payload: { amountFen, note: '咖啡' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; code: string; payPath: string };
};

describe(`in-store payments (${DB_KIND})`, () => {
  it('the cashier asks for an amount, the customer pays it from the QR code, the member earns per the cashier settings', async () => {
    const cashierId = cashier.userId;
    await admin.request({
      method: 'POST',
      url: '/api/v1/admin/rules',
      payload: {
        settings: {
          referral: { enabled: false },
          cashback: { enabled: true, form: 'points', pointsPerYuan: 0.05 },
          queueRebate: { enabled: true, cashiers: 'each', extractPct: 10, entitlementPct: 100 },
        },
      },
    });
    const first = await quickShopper(t);
    const second = await quickShopper(t);
    for (const [customer, amount] of [
      [first, 10000],
      [second, 20000],
    ] as const) {
      const c = await charge(amount);
      expect(c.payPath).toBe(`/pay/c/${c.code}`);
      // anyone holding the code sees what to pay before signing in
      const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/charges/${c.code}` });
      expect(anonymous.json()).toMatchObject({ amountFen: amount, status: 'pending' });
      const seen = await customer.request({ method: 'GET', url: `/api/v1/charges/${c.code}` });
      expect(seen.json()).toMatchObject({
        amountFen: amount,
        status: 'pending',
        storeName: 'Test store',
      });
      const claimed = await customer.request({
        method: 'POST',
        url: `/api/v1/charges/${c.code}/claim`,
      });
      const again = await customer.request({
        method: 'POST',
        url: `/api/v1/charges/${c.code}/claim`,
      });
      expect(again.json().orderId).toBe(claimed.json().orderId);
      const { notification } = await sandboxNotification(t, customer, claimed.json().orderId);
      expect((await deliver(t, notification)).statusCode).toBe(204);
      const status = (
        await cashier.request({ method: 'GET', url: `/api/v1/cashier/charges/${c.id}` })
      ).json();
      expect(status).toMatchObject({ status: 'paid', amountFen: amount });
      const order = (
        await customer.request({ method: 'GET', url: `/api/v1/orders/${claimed.json().orderId}` })
      ).json();
      expect(order.state).toBe('completed'); // handed over at the till
    }
    // the second payment contributed 10 % of 200.00 to the first customer's entry in this cashier's queue
    const entries = (await first.request({ method: 'GET', url: '/api/v1/queue/entries' })).json()
      .items;
    expect(entries).toEqual([
      expect.objectContaining({
        queueId: `cashier:${cashierId}`,
        entitlementFen: 10000,
        receivedFen: 2000,
      }),
    ]);
    expect(await balanceOf(t.deps.db, userAccount(first.userId, 'points'))).toMatchObject({
      pendingIn: 5,
    });
    t.clock.advance(8 * 86_400_000);
    await t.jobs.runDue(1000);
    expect(await balanceOf(t.deps.db, userAccount(first.userId, 'cash'))).toMatchObject({
      available: 2000,
    });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('a charge is paid by one customer only, and expires', async () => {
    const c = await charge(500);
    const a = await quickShopper(t);
    const b = await quickShopper(t);
    const claims = await Promise.all(
      [a, b].map((x) => x.request({ method: 'POST', url: `/api/v1/charges/${c.code}/claim` })),
    );
    expect(claims.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const late = await charge(800);
    t.clock.advance(16 * 60_000);
    const res = await a.request({ method: 'POST', url: `/api/v1/charges/${late.code}/claim` });
    expect(res.statusCode).toBe(410);
    expect(res.json().code).toBe('CHARGE_EXPIRED');
    expect(
      (await cashier.request({ method: 'GET', url: `/api/v1/cashier/charges/${late.id}` })).json()
        .status,
    ).toBe('expired');
  });

  it('only a cashier may ask for money, and only sees its own charges', async () => {
    const shopper = await quickShopper(t);
    expect(
      (
        await shopper.request({
          method: 'POST',
          url: '/api/v1/cashier/charges',
          headers: { 'idempotency-key': idemKey() },
          payload: { amountFen: 100 },
        })
      ).statusCode,
    ).toBe(403);
    const mine = await charge(100);
    const other = await staffUser(t, 'cashier');
    expect(
      (await other.request({ method: 'GET', url: `/api/v1/cashier/charges/${mine.id}` }))
        .statusCode,
    ).toBe(404);
  });
});
