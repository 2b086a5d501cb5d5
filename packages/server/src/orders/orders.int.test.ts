import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { balanceOf, userAccount, verifyLedger } from '../ledger/index.ts';
import type { OrderListener } from './events.ts';
import { MODULES } from '../app/modules.ts';
import { setCommerceConfig, DAY_MS } from './config.ts';
import {
  addressOf,
  buyAndPay,
  deliver,
  fund,
  placeOrder,
  publishTestRules,
  quickShopper,
  quickStaff,
  sandboxNotification,
  seedSku,
  stockOf,
} from './testing.ts';

let t: TestApp;
const events: string[] = [];
const listener: OrderListener = {
  name: 'test',
  onPaid: async (_tx, e) => void events.push(`paid:${e.orderId}`),
  onCompleted: async (_tx, e) => void events.push(`completed:${e.orderId}`),
  onSettled: async (_tx, e) => void events.push(`settled:${e.orderId}`),
};

beforeAll(async () => {
  // this server runs one more module: a listener that notes the events it hears
  t = await testApp({}, [...MODULES, { name: 'test', orderListeners: [listener] }]);
  setCommerceConfig(t.deps, { payMinutes: 30, autoCompleteDays: 10 });
});
afterAll(async () => {
  await t.close();
});

describe(`orders on ${DB_KIND}`, () => {
  it('200 concurrent buyers for a SKU with stock 10: 10 orders, 10 paid; unpaid ones auto-cancel and release stock', async () => {
    const { skuId } = await seedSku(t, { priceFen: 9900, stock: 10 });
    const buyers = await Promise.all(Array.from({ length: 200 }, () => quickShopper(t)));
    const addresses = await Promise.all(buyers.map((b) => addressOf(b)));
    const placed = await Promise.all(
      buyers.map((b, i) => placeOrder(b, { items: [{ skuId, qty: 1 }], addressId: addresses[i] })),
    );
    const ok = placed.filter((r) => r.statusCode === 201);
    expect(ok).toHaveLength(10);
    expect(
      placed.filter((r) => r.statusCode === 409 && r.json().code === 'OUT_OF_STOCK'),
    ).toHaveLength(190);
    expect(await stockOf(t, skuId)).toBe(0);

    // 7 of the 10 pay, concurrently; the other 3 never do
    const winners = placed
      .map((r, i) => ({ r, buyer: buyers[i]! }))
      .filter((x) => x.r.statusCode === 201);
    const payers = winners.slice(0, 7);
    const notes = await Promise.all(
      payers.map((w) => sandboxNotification(t, w.buyer, w.r.json().id)),
    );
    const acks = await Promise.all(notes.map((n) => deliver(t, n.notification)));
    expect(acks.map((a) => a.statusCode)).toEqual(Array(7).fill(204));

    // a latecomer cannot buy: the stock is still held by the unpaid orders
    const late = await quickShopper(t);
    expect(
      (
        await placeOrder(late, { items: [{ skuId, qty: 1 }], addressId: await addressOf(late) })
      ).json().code,
    ).toBe('OUT_OF_STOCK');

    t.clock.advance(31 * 60_000);
    await t.jobs.runDue();
    const states = await t.deps.db
      .selectFrom('orders')
      .select(['state'])
      .where(
        'id',
        'in',
        winners.map((w) => w.r.json().id as number),
      )
      .execute();
    expect(states.filter((s) => s.state === 'paid')).toHaveLength(7);
    expect(states.filter((s) => s.state === 'cancelled')).toHaveLength(3);
    expect(await stockOf(t, skuId)).toBe(3);

    // the released stock sells again
    const again = await Promise.all(
      buyers
        .slice(150, 160)
        .map((b, i) =>
          buyAndPay(t, b, { items: [{ skuId, qty: 1 }], addressId: addresses[150 + i] }).catch(
            () => null,
          ),
        ),
    );
    expect(again.filter((x) => x !== null)).toHaveLength(3);
    const paid = await t.deps.db
      .selectFrom('orders as o')
      .innerJoin('order_lines as l', 'l.order_id', 'o.id')
      .select('o.id')
      .where('l.sku_id', '=', skuId)
      .where('o.state', '=', 'paid')
      .execute();
    expect(paid).toHaveLength(10);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('places with points and balance, snapshots the lines, cancels and gives everything back', async () => {
    const buyer = await quickShopper(t);
    const addressId = await addressOf(buyer);
    await fund(t, buyer.userId, 'points', 5000);
    await fund(t, buyer.userId, 'cash', 1000);
    const a = await seedSku(t, { priceFen: 9900, stock: 5 });
    const b = await seedSku(t, { priceFen: 6800, stock: 5 });
    setCommerceConfig(t.deps, { points: { enabled: true, maxSharePct: 10 } });
    await publishTestRules(t, { points: { fenPerPoint: 1 } }); // points of 1 fen
    const preview = await buyer.request({
      method: 'POST',
      url: '/api/v1/checkout/preview',
      payload: {
        items: [
          { skuId: a.skuId, qty: 2 },
          { skuId: b.skuId, qty: 1 },
        ],
        usePoints: true,
        useBalance: true,
      },
    });
    expect(preview.json()).toMatchObject({
      itemsFen: 26600,
      pointsFen: 2660,
      pointsUsed: 2660,
      balanceFen: 1000,
      payableFen: 22940,
    });
    const res = await placeOrder(buyer, {
      items: [
        { skuId: a.skuId, qty: 2 },
        { skuId: b.skuId, qty: 1 },
      ],
      usePoints: true,
      useBalance: true,
      addressId,
    });
    expect(res.statusCode).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({
      state: 'pending_payment',
      payableFen: 22940,
      pointsUsed: 2660,
      balanceFen: 1000,
      address: { name: '张三' },
    });
    expect(
      order.lines
        .map((l: { paidFen: number }) => l.paidFen)
        .reduce((x: number, y: number) => x + y, 0),
    ).toBe(22940);
    // reserved, not spendable
    expect(await balanceOf(t.deps.db, userAccount(buyer.userId, 'cash'))).toEqual({
      available: 0,
      pendingIn: 0,
      pendingOut: 1000,
    });
    // the product changes price later: the order keeps its snapshot
    await t.deps.db.updateTable('skus').set({ price_fen: 1 }).where('id', '=', a.skuId).execute();
    expect(
      (await buyer.request({ method: 'GET', url: `/api/v1/orders/${order.id}` })).json().lines[0]
        .unitPriceFen,
    ).toBe(9900);

    const cancel = await buyer.request({
      method: 'POST',
      url: `/api/v1/orders/${order.id}/cancel`,
    });
    expect(cancel.json().state).toBe('cancelled');
    expect((await balanceOf(t.deps.db, userAccount(buyer.userId, 'cash'))).available).toBe(1000);
    expect((await balanceOf(t.deps.db, userAccount(buyer.userId, 'points'))).available).toBe(5000);
    expect(await stockOf(t, a.skuId)).toBe(5);
    expect(
      (await buyer.request({ method: 'POST', url: `/api/v1/orders/${order.id}/cancel` })).json()
        .code,
    ).toBe('ORDER_STATE_INVALID');
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('an order paid entirely by balance is paid at once; ship, auto-complete, settle after the window', async () => {
    const buyer = await quickShopper(t);
    const staff = await quickStaff(t, 'staff');
    const addressId = await addressOf(buyer);
    await fund(t, buyer.userId, 'cash', 5000);
    const { skuId } = await seedSku(t, { priceFen: 3000, stock: 5 });
    const res = await placeOrder(buyer, {
      items: [{ skuId, qty: 1 }],
      useBalance: true,
      addressId,
    });
    const order = res.json();
    expect(order).toMatchObject({ state: 'paid', payableFen: 0, balanceFen: 3000 });
    expect(events).toContain(`paid:${order.id}`);
    // a shopper cannot ship
    expect(
      (
        await buyer.request({
          method: 'POST',
          url: `/api/v1/admin/orders/${order.id}/ship`,
          payload: { carrier: 'SF', trackingNo: '1' },
        })
      ).statusCode,
    ).toBe(403);
    const shipped = await staff.request({
      method: 'POST',
      url: `/api/v1/admin/orders/${order.id}/ship`,
      payload: { carrier: 'SF', trackingNo: 'SF123' },
    });
    expect(shipped.json()).toMatchObject({ state: 'shipped', carrier: 'SF' });
    t.clock.advance(10 * DAY_MS + 1000);
    await t.jobs.runDue();
    const completed = (
      await buyer.request({ method: 'GET', url: `/api/v1/orders/${order.id}` })
    ).json();
    expect(completed.state).toBe('completed');
    expect(new Date(completed.settleAt).getTime() - new Date(completed.completedAt).getTime()).toBe(
      7 * DAY_MS,
    );
    expect(events).toContain(`completed:${order.id}`);
    expect(events).not.toContain(`settled:${order.id}`);
    t.clock.advance(7 * DAY_MS);
    await t.jobs.runDue();
    expect(events).toContain(`settled:${order.id}`);

    // reviews: once per line, completed orders only; text returned raw
    const lineId = completed.lines[0].id;
    const review = await buyer.request({
      method: 'POST',
      url: `/api/v1/orders/${order.id}/reviews`,
      payload: { lineId, rating: 5, content: '<b>好</b>' },
    });
    expect(review.statusCode).toBe(201);
    expect(
      (
        await buyer.request({
          method: 'POST',
          url: `/api/v1/orders/${order.id}/reviews`,
          payload: { lineId, rating: 4, content: 'x' },
        })
      ).json().code,
    ).toBe('REVIEW_EXISTS');
    const list = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/products/${completed.lines[0].productId}/reviews`,
      })
    ).json();
    expect(list).toMatchObject({
      count: 1,
      averageRating: 5,
      items: [{ rating: 5, content: '<b>好</b>' }],
    });
  });

  it('shopper A can neither read, pay, cancel, complete, review nor refund shopper B’s order (404 everywhere)', async () => {
    const a = await quickShopper(t);
    const b = await quickShopper(t);
    const { skuId } = await seedSku(t, { priceFen: 500, stock: 5 });
    const bOrder = (
      await placeOrder(b, { items: [{ skuId, qty: 1 }], addressId: await addressOf(b) })
    ).json();
    const paidOrder = await buyAndPay(t, b, {
      items: [{ skuId, qty: 1 }],
      addressId: await addressOf(b),
    });
    const lineId = (await b.request({ method: 'GET', url: `/api/v1/orders/${paidOrder}` })).json()
      .lines[0].id;
    const attempts = [
      { method: 'GET', url: `/api/v1/orders/${bOrder.id}` },
      { method: 'POST', url: `/api/v1/orders/${bOrder.id}/pay`, payload: {} },
      { method: 'POST', url: `/api/v1/orders/${bOrder.id}/cancel` },
      { method: 'POST', url: `/api/v1/orders/${paidOrder}/complete` },
      {
        method: 'POST',
        url: `/api/v1/orders/${paidOrder}/reviews`,
        payload: { lineId, rating: 1, content: 'x' },
      },
      {
        method: 'POST',
        url: `/api/v1/orders/${paidOrder}/after-sales`,
        headers: { 'idempotency-key': 'steal-refund-1' },
        payload: { kind: 'refund', reason: 'x', lines: [{ lineId, qty: 1 }] },
      },
    ] as const;
    for (const req of attempts) {
      const res = await a.request(req as never);
      expect([req.url, res.statusCode, res.json().code]).toEqual([req.url, 404, 'NOT_FOUND']);
    }
    // A's order list does not show B's orders; A cannot see B's after-sales or addresses
    expect((await a.request({ method: 'GET', url: '/api/v1/orders' })).json().total).toBe(0);
    const bAddress = (await b.request({ method: 'GET', url: '/api/v1/addresses' })).json()[0].id;
    expect(
      (await a.request({ method: 'DELETE', url: `/api/v1/addresses/${bAddress}` })).statusCode,
    ).toBe(404);
    expect(
      (await placeOrder(a, { items: [{ skuId, qty: 1 }], addressId: bAddress })).json().code,
    ).toBe('ADDRESS_REQUIRED');
    // unauthenticated
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/orders/${bOrder.id}` })).statusCode,
    ).toBe(401);
    // B's order is untouched
    expect(
      (await b.request({ method: 'GET', url: `/api/v1/orders/${bOrder.id}` })).json().state,
    ).toBe('pending_payment');
  });

  it('cart: add, update, remove; checkout from the cart empties it', async () => {
    const c = await quickShopper(t);
    const { skuId } = await seedSku(t, { priceFen: 1200, stock: 9 });
    await c.request({ method: 'POST', url: '/api/v1/cart/items', payload: { skuId, qty: 2 } });
    const added = await c.request({
      method: 'POST',
      url: '/api/v1/cart/items',
      payload: { skuId, qty: 1 },
    });
    expect(added.json()).toMatchObject({
      items: [{ skuId, qty: 3, subtotalFen: 3600, available: true }],
      totalFen: 3600,
    });
    expect(
      (
        await c.request({ method: 'PUT', url: `/api/v1/cart/items/${skuId}`, payload: { qty: 1 } })
      ).json().totalFen,
    ).toBe(1200);
    expect(
      (await c.request({ method: 'POST', url: '/api/v1/cart/items', payload: { skuId, qty: '1' } }))
        .statusCode,
    ).toBe(400);
    const res = await placeOrder(c, {
      items: [{ skuId, qty: 1 }],
      addressId: await addressOf(c),
      fromCart: true,
    });
    expect(res.statusCode).toBe(201);
    expect((await c.request({ method: 'GET', url: '/api/v1/cart' })).json().items).toEqual([]);
  });
});
