import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import {
  balanceOf,
  gatewayAccount,
  merchantAccount,
  userAccount,
  verifyLedger,
} from '../ledger/index.ts';
import type { OrderListener, OrderRefundedEvent } from '../orders/events.ts';
import { MODULES } from '../app/modules.ts';
import { setCommerceConfig } from '../orders/config.ts';
import {
  addressOf,
  buyAndPay,
  fund,
  idemKey,
  publishTestRules,
  quickShopper,
  quickStaff,
  seedSku,
} from '../orders/testing.ts';
import { installProvider, sandboxOf } from '../payment-flow/registry.ts';
import type { PaymentProvider } from '../payments/index.ts';
import type { Caller } from '../../test/app.ts';

let t: TestApp;
let staff: Caller;
const refunds: OrderRefundedEvent[] = [];
const listener: OrderListener = {
  name: 'test',
  onRefunded: async (_tx, e) => void refunds.push(e),
};

beforeAll(async () => {
  // this server runs one more module: a listener that notes the refunds it hears
  t = await testApp({}, [...MODULES, { name: 'test', orderListeners: [listener] }]);
  setCommerceConfig(t.deps, { points: { enabled: true, maxSharePct: 50 } });
  await publishTestRules(t, { points: { fenPerPoint: 1 } }); // points of 1 fen
  staff = await quickStaff(t, 'staff');
});
afterAll(async () => {
  await t.close();
});

const bal = async (userId: number) => ({
  cash: (await balanceOf(t.deps.db, userAccount(userId, 'cash'))).available,
  points: (await balanceOf(t.deps.db, userAccount(userId, 'points'))).available,
  merchantCash: (await balanceOf(t.deps.db, merchantAccount('cash'))).available,
  merchantPoints: (await balanceOf(t.deps.db, merchantAccount('points'))).available,
  gateway: (await balanceOf(t.deps.db, gatewayAccount('sandbox'))).available,
});

async function request(c: Caller, orderId: number, lines: { lineId: number; qty: number }[]) {
  return c.request({
    method: 'POST',
    url: `/api/v1/orders/${orderId}/after-sales`,
    headers: { 'idempotency-key': idemKey() },
    payload: { kind: 'refund', reason: '不想要了', lines },
  });
}
const approve = (id: number) =>
  staff.request({
    method: 'POST',
    url: `/api/v1/admin/after-sales/${id}/approve`,
    headers: { 'idempotency-key': idemKey() },
    payload: { note: 'ok' },
  });

/** A paid order of 3 × 33.33 + 1 × 10.01 using points and balance. */
async function mixedOrder() {
  const buyer = await quickShopper(t);
  await fund(t, buyer.userId, 'points', 1001);
  await fund(t, buyer.userId, 'cash', 777);
  const a = await seedSku(t, { priceFen: 3333, stock: 10 });
  const b = await seedSku(t, { priceFen: 1001, stock: 10 });
  const orderId = await buyAndPay(t, buyer, {
    items: [
      { skuId: a.skuId, qty: 3 },
      { skuId: b.skuId, qty: 1 },
    ],
    usePoints: true,
    useBalance: true,
    addressId: await addressOf(buyer),
  });
  const order = (await buyer.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })).json();
  return { buyer, order };
}

describe(`after-sale on ${DB_KIND}`, () => {
  it('a full refund reverses exactly what the order moved', async () => {
    const { buyer, order } = await mixedOrder();
    expect(order).toMatchObject({
      state: 'paid',
      itemsFen: 11000,
      pointsUsed: 1001,
      pointsFen: 1001,
      balanceFen: 777,
      payableFen: 11000 - 1001 - 777,
    });
    const before = await bal(buyer.userId);
    const req = await request(
      buyer,
      order.id,
      order.lines.map((l: { id: number; qty: number }) => ({ lineId: l.id, qty: l.qty })),
    );
    expect(req.statusCode).toBe(201);
    const done = await approve(req.json().id);
    expect(done.json()).toMatchObject({
      status: 'refunded',
      refundFen: order.payableFen,
      refundBalanceFen: 777,
      refundPoints: 1001,
    });
    const after = await bal(buyer.userId);
    expect(after.cash - before.cash).toBe(777);
    expect(after.points - before.points).toBe(1001);
    expect(after.merchantCash - before.merchantCash).toBe(-(order.payableFen + 777));
    expect(after.merchantPoints - before.merchantPoints).toBe(-1001);
    expect(after.gateway - before.gateway).toBe(order.payableFen);
    const o = (await buyer.request({ method: 'GET', url: `/api/v1/orders/${order.id}` })).json();
    expect(o).toMatchObject({
      refundStatus: 'full',
      refundedFen: order.payableFen,
      refundedBalanceFen: 777,
      refundedPoints: 1001,
    });
    expect(refunds.at(-1)).toMatchObject({
      orderId: order.id,
      full: true,
      withinWindow: true,
      refundFen: order.payableFen,
    });
    // nothing left to refund
    expect(
      (await request(buyer, order.id, [{ lineId: order.lines[0].id, qty: 1 }])).json().code,
    ).toBe('AFTER_SALE_QTY_EXCEEDED');
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('partial refunds prorate, and successive partial refunds add up to exactly the order', async () => {
    const { buyer, order } = await mixedOrder();
    const [l1, l2] = order.lines as {
      id: number;
      qty: number;
      paidFen: number;
      balanceFen: number;
      points: number;
    }[];
    const before = await bal(buyer.userId);
    const first = await approve(
      (await request(buyer, order.id, [{ lineId: l1!.id, qty: 1 }])).json().id,
    );
    const share = (x: number) => Math.floor(x / 3);
    expect(first.json()).toMatchObject({
      status: 'refunded',
      refundFen: share(l1!.paidFen),
      refundBalanceFen: share(l1!.balanceFen),
      refundPoints: share(l1!.points),
    });
    expect(refunds.at(-1)).toMatchObject({ full: false });
    expect(
      (await buyer.request({ method: 'GET', url: `/api/v1/orders/${order.id}` })).json()
        .refundStatus,
    ).toBe('partial');
    // two more requests, concurrently for the remaining units of line 1 and all of line 2
    const r2 = (await request(buyer, order.id, [{ lineId: l1!.id, qty: 1 }])).json().id;
    const r3 = (
      await request(buyer, order.id, [
        { lineId: l1!.id, qty: 1 },
        { lineId: l2!.id, qty: 1 },
      ])
    ).json().id;
    // an extra unit cannot be claimed
    expect((await request(buyer, order.id, [{ lineId: l1!.id, qty: 1 }])).json().code).toBe(
      'AFTER_SALE_QTY_EXCEEDED',
    );
    await Promise.all([approve(r2), approve(r3)]);
    const after = await bal(buyer.userId);
    expect(after.cash - before.cash).toBe(order.balanceFen);
    expect(after.points - before.points).toBe(order.pointsUsed);
    expect(after.gateway - before.gateway).toBe(order.payableFen);
    const o = (await buyer.request({ method: 'GET', url: `/api/v1/orders/${order.id}` })).json();
    expect(o).toMatchObject({
      refundStatus: 'full',
      refundedFen: order.payableFen,
      refundedBalanceFen: order.balanceFen,
      refundedPoints: order.pointsUsed,
    });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('reject and cancel free the units; a provider failure voids the reversal; a shopper cannot approve', async () => {
    const { buyer, order } = await mixedOrder();
    const lineId = order.lines[0].id;
    const r1 = (await request(buyer, order.id, [{ lineId, qty: 3 }])).json().id;
    expect(
      (
        await buyer.request({
          method: 'POST',
          url: `/api/v1/admin/after-sales/${r1}/approve`,
          headers: { 'idempotency-key': idemKey() },
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await staff.request({
          method: 'POST',
          url: `/api/v1/admin/after-sales/${r1}/reject`,
          payload: { note: 'no' },
        })
      ).json().status,
    ).toBe('rejected');
    const r2 = (await request(buyer, order.id, [{ lineId, qty: 3 }])).json().id;
    expect(
      (await buyer.request({ method: 'POST', url: `/api/v1/after-sales/${r2}/cancel` })).json()
        .status,
    ).toBe('cancelled');

    const sandbox = sandboxOf(t.deps)!;
    const refusing: PaymentProvider = Object.assign(Object.create(sandbox) as PaymentProvider, {
      refund: async () => ({
        ok: false as const,
        code: 'PROVIDER_REJECTED' as const,
        retryable: false,
        message: 'NOT_ENOUGH',
      }),
    });
    installProvider(t.deps, 'sandbox', refusing);
    const before = await bal(buyer.userId);
    try {
      const r3 = (await request(buyer, order.id, [{ lineId, qty: 3 }])).json().id;
      expect((await approve(r3)).json()).toMatchObject({ status: 'failed' });
    } finally {
      installProvider(t.deps, 'sandbox', sandbox);
    }
    expect(await bal(buyer.userId)).toEqual(before);
    // the units can be asked for again and the refund then succeeds
    const r4 = (await request(buyer, order.id, [{ lineId, qty: 3 }])).json().id;
    expect((await approve(r4)).json().status).toBe('refunded');
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('an unknown provider outcome is retried by the job with the same out_refund_no', async () => {
    const { buyer, order } = await mixedOrder();
    const sandbox = sandboxOf(t.deps)!;
    const seen: string[] = [];
    let fail = true;
    const flaky: PaymentProvider = Object.assign(Object.create(sandbox) as PaymentProvider, {
      refund: async (input: Parameters<PaymentProvider['refund']>[0]) => {
        seen.push(input.outRefundNo);
        if (fail)
          return {
            ok: false as const,
            code: 'PROVIDER_TIMEOUT' as const,
            retryable: true,
            message: 'timeout',
          };
        return sandbox.refund(input);
      },
    });
    installProvider(t.deps, 'sandbox', flaky);
    try {
      const id = (await request(buyer, order.id, [{ lineId: order.lines[1].id, qty: 1 }])).json()
        .id;
      expect((await approve(id)).json().status).toBe('refunding');
      fail = false;
      t.clock.advance(2 * 60_000);
      await t.jobs.runDue();
      expect(
        (await buyer.request({ method: 'GET', url: `/api/v1/after-sales/${id}` })).json().status,
      ).toBe('refunded');
      expect(new Set(seen).size).toBe(1);
      expect(seen.length).toBe(2);
    } finally {
      installProvider(t.deps, 'sandbox', sandbox);
    }
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });
});
