import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../app.ts';
import { DB_KIND } from '../db.ts';
import { setCommerceConfig } from '../../src/orders/config.ts';
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
} from '../../src/orders/testing.ts';
import { installProvider, sandboxOf } from '../../src/payment-flow/registry.ts';
import type { PaymentProvider } from '../../src/payments/index.ts';
import { brokenInvariants } from './support.ts';

/**
 * Payment notifications and provider calls under the faults real providers produce:
 * duplicates, any order, late arrivals (after the reconciler already booked the payment),
 * and timeouts whose work was in fact done, followed by retries. Exactly one effect each.
 */
let t: TestApp;
let admin: Caller;
let skuId: number;

beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, { payMinutes: 30 });
  admin = await quickStaff(t, 'admin');
  skuId = (await seedSku(t, { priceFen: 3300, stock: 1000 })).skuId;
});
afterAll(async () => t.close());

const TIMEOUT = {
  ok: false as const,
  code: 'PROVIDER_TIMEOUT' as const,
  retryable: true,
  message: 'timed out',
};

/**
 * The sandbox, except that the first `n` calls of `method` do their work at the provider
 * and then lose the answer (a timeout) — the case where a careless retry pays twice.
 */
function losingAnswers(method: 'createPayment' | 'refund' | 'transfer', n: number) {
  const sandbox = sandboxOf(t.deps)!;
  const calls: unknown[] = [];
  const wrapper = Object.assign(Object.create(sandbox) as PaymentProvider, {
    [method]: async (input: unknown) => {
      calls.push(input);
      const real = await (sandbox[method] as (i: unknown) => Promise<unknown>).call(sandbox, input);
      return calls.length <= n ? TIMEOUT : real;
    },
  });
  installProvider(t.deps, 'sandbox', wrapper);
  return { calls, restore: () => installProvider(t.deps, 'sandbox', sandbox) };
}

async function count(table: 'ledger_transfers', where: [string, string][]): Promise<number> {
  let q = t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  for (const [k, v] of where) q = q.where(k as 'reason', '=', v);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

const shuffle = <T>(xs: T[]) =>
  xs
    .map((x) => [Math.random(), x] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, x]) => x);

describe(`notifications and provider faults on ${DB_KIND}`, () => {
  it('duplicated, shuffled and late notifications (some after the reconciler booked them): one payment each', async () => {
    const orders: {
      id: number;
      buyer: Caller;
      n: { rawBody: string; headers: Record<string, string> };
      outTradeNo: string;
    }[] = [];
    for (let i = 0; i < 8; i++) {
      const buyer = await quickShopper(t);
      const placed = await placeOrder(buyer, {
        items: [{ skuId, qty: 1 }],
        addressId: await addressOf(buyer),
      });
      const id = (placed.json() as { id: number }).id;
      const { notification, started } = await sandboxNotification(t, buyer, id);
      orders.push({ id, buyer, n: notification, outTradeNo: started.outTradeNo });
    }
    // the reconciler asks the provider first: half of the orders are booked without a notification
    t.clock.advance(6 * 60_000);
    await t.jobs.runDue();
    // then every notification arrives three times, in any order, partly at once
    const deliveries = shuffle(orders.flatMap((o) => [o, o, o]));
    // (a provider signs each delivery afresh: its timestamp is checked for staleness)
    const resign = (n: { rawBody: string }) => ({
      rawBody: n.rawBody,
      headers: sandboxOf(t.deps)!.signHeaders(n.rawBody),
    });
    const acks = await Promise.all(deliveries.map((o) => deliver(t, resign(o.n))));
    expect(acks.map((a) => a.statusCode)).toEqual(acks.map(() => 204));
    // a notification that arrives days later, after the order completed and settled
    const late = orders[0]!;
    await admin.request({
      method: 'POST',
      url: `/api/v1/admin/orders/${late.id}/ship`,
      payload: { carrier: 'SF', trackingNo: 'SF1' },
    });
    await late.buyer.request({ method: 'POST', url: `/api/v1/orders/${late.id}/complete` });
    t.clock.advance(8 * 86_400_000);
    await t.jobs.runDue();
    expect((await deliver(t, resign(late.n))).statusCode).toBe(204);
    for (const o of orders) {
      expect(
        await count('ledger_transfers', [['idempotency_key', `payment:${o.outTradeNo}`]]),
      ).toBe(1);
      const state = (await o.buyer.request({ method: 'GET', url: `/api/v1/orders/${o.id}` })).json()
        .state as string;
      expect(['paid', 'completed']).toContain(state);
    }
    const ruleRows = await t.deps.db
      .selectFrom('order_rule_state')
      .select('order_id')
      .where(
        'order_id',
        'in',
        orders.map((o) => o.id),
      )
      .execute();
    expect(ruleRows).toHaveLength(orders.length);
    expect(await brokenInvariants(t.deps.db)).toEqual([]);
  });

  it('starting a payment times out after the provider created it; the retry reuses the same trade', async () => {
    const buyer = await quickShopper(t);
    const placed = await placeOrder(buyer, {
      items: [{ skuId, qty: 1 }],
      addressId: await addressOf(buyer),
    });
    const id = (placed.json() as { id: number }).id;
    const flaky = losingAnswers('createPayment', 1);
    try {
      const first = await buyer.request({
        method: 'POST',
        url: `/api/v1/orders/${id}/pay`,
        payload: {},
      });
      expect(first.statusCode).toBeGreaterThanOrEqual(400);
      expect(first.statusCode).not.toBe(500);
      const second = await buyer.request({
        method: 'POST',
        url: `/api/v1/orders/${id}/pay`,
        payload: {},
      });
      expect(second.statusCode, second.body).toBe(200);
      const trades = new Set(flaky.calls.map((c) => (c as { outTradeNo: string }).outTradeNo));
      expect(trades.size).toBe(1);
      expect(trades.has((second.json() as { outTradeNo: string }).outTradeNo)).toBe(true);
    } finally {
      flaky.restore();
    }
    const { notification } = await sandboxNotification(t, buyer, id);
    expect((await deliver(t, notification)).statusCode).toBe(204);
    const payments = await t.deps.db
      .selectFrom('payments')
      .selectAll()
      .where('order_id', '=', id)
      .execute();
    expect(payments.filter((p) => p.status === 'paid')).toHaveLength(1);
    expect(await brokenInvariants(t.deps.db)).toEqual([]);
  });

  it('a refund whose answer was lost is retried by its job with the same refund number: refunded once', async () => {
    const buyer = await quickShopper(t);
    const orderId = await buyAndPay(t, buyer, {
      items: [{ skuId, qty: 1 }],
      addressId: await addressOf(buyer),
    });
    const order = (
      await buyer.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })
    ).json() as {
      lines: { id: number }[];
    };
    const req = await buyer.request({
      method: 'POST',
      url: `/api/v1/orders/${orderId}/after-sales`,
      headers: { 'idempotency-key': idemKey() },
      payload: {
        kind: 'refund',
        reason: 'changed my mind',
        lines: [{ lineId: order.lines[0]!.id, qty: 1 }],
      },
    });
    expect(req.statusCode, req.body).toBeLessThan(300);
    const asId = (req.json() as { id: number }).id;
    const flaky = losingAnswers('refund', 2);
    try {
      const key = idemKey();
      const approve = () =>
        admin.request({
          method: 'POST',
          url: `/api/v1/admin/after-sales/${asId}/approve`,
          headers: { 'idempotency-key': key },
          payload: { note: 'ok' },
        });
      const first = await approve();
      expect(first.statusCode, first.body).toBe(200);
      // the client retries the same approval: answered again, no second refund
      expect((await approve()).statusCode).toBeLessThan(500);
      for (let i = 0; i < 4; i++) {
        t.clock.advance(10 * 60_000);
        await t.jobs.runDue();
      }
      expect(flaky.calls.length).toBeGreaterThanOrEqual(2);
      const refundNos = new Set(flaky.calls.map((c) => (c as { outRefundNo: string }).outRefundNo));
      expect(refundNos.size).toBe(1);
    } finally {
      flaky.restore();
    }
    const as = await t.deps.db
      .selectFrom('after_sales')
      .selectAll()
      .where('id', '=', asId)
      .executeTakeFirstOrThrow();
    expect(as.status).toBe('refunded');
    const o = await t.deps.db
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect(o.refunded_fen).toBe(3300);
    const posts = await t.deps.db
      .selectFrom('ledger_transfers')
      .select('id')
      .where('kind', '=', 'post_pending')
      .where('reason', '=', 'order.refund')
      .where('source_id', '=', String(asId))
      .execute();
    expect(posts.length).toBeLessThanOrEqual(1);
    expect(await brokenInvariants(t.deps.db)).toEqual([]);
  });

  it('a withdrawal payout whose answer was lost: the retry asks first and pays once', async () => {
    const u = await quickShopper(t);
    await fund(t, u.userId, 'cash', 50_000);
    const w = await u.request({
      method: 'POST',
      url: '/api/v1/wallet/withdrawals',
      headers: { 'idempotency-key': idemKey() },
      payload: { amountFen: 20_000 },
    });
    expect(w.statusCode, w.body).toBeLessThan(300);
    const id = (w.json() as { id: number }).id;
    const flaky = losingAnswers('transfer', 1);
    try {
      const approved = await admin.request({
        method: 'POST',
        url: `/api/v1/admin/withdrawals/${id}/approve`,
        headers: { 'idempotency-key': idemKey() },
        payload: {},
      });
      expect(approved.statusCode, approved.body).toBe(200);
      for (let i = 0; i < 4; i++) {
        t.clock.advance(10 * 60_000);
        await t.jobs.runDue();
      }
      expect(flaky.calls.length).toBe(1); // the retry found the bill paid and did not pay again
    } finally {
      flaky.restore();
    }
    const row = await t.deps.db
      .selectFrom('withdrawals')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('paid');
    const wallet = (await u.request({ method: 'GET', url: '/api/v1/wallet' })).json() as {
      cash: { available: number };
    };
    expect(wallet.cash.available).toBe(30_000);
    expect(await brokenInvariants(t.deps.db)).toEqual([]);
  });
});
