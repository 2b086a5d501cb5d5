import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextPhone, testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import {
  addressOf,
  buyAndPay,
  fund,
  idemKey,
  quickShopper,
  quickStaff,
  seedSku,
} from '../orders/testing.ts';
import { requestAfterSale } from './service.ts';

/**
 * What staff and shoppers see of an order with a refund request: it cannot ship while the
 * request is open or once all of it was refunded, and the review shows the amount that
 * approval then pays, the lines, the buyer and the order.
 */
let t: TestApp;
let staff: Caller;

beforeAll(async () => {
  t = await testApp();
  staff = await quickStaff(t, 'staff');
});
afterAll(async () => {
  await t.close();
});

interface Line {
  id: number;
  qty: number;
}

async function paidOrder(
  items: { priceFen: number; qty: number }[],
  pay?: { points: number; cashFen: number },
) {
  const buyer = await quickShopper(t);
  if (pay) {
    await fund(t, buyer.userId, 'points', pay.points);
    await fund(t, buyer.userId, 'cash', pay.cashFen);
  }
  const skus = [];
  for (const i of items)
    skus.push({ ...(await seedSku(t, { priceFen: i.priceFen, stock: 10 })), qty: i.qty });
  const orderId = await buyAndPay(t, buyer, {
    items: skus.map((s) => ({ skuId: s.skuId, qty: s.qty })),
    usePoints: pay !== undefined,
    useBalance: pay !== undefined,
    addressId: await addressOf(buyer),
  });
  const order = (
    await buyer.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })
  ).json() as {
    id: number;
    orderNo: string;
    lines: Line[];
  };
  return { buyer, order };
}

const ask = (buyer: Caller, orderId: number, lines: { lineId: number; qty: number }[]) =>
  buyer.request({
    method: 'POST',
    url: `/api/v1/orders/${orderId}/after-sales`,
    headers: { 'idempotency-key': idemKey() },
    payload: { kind: 'refund', reason: '不想要了', lines },
  });
const decide = (id: number, action: 'approve' | 'reject') =>
  staff.request({
    method: 'POST',
    url: `/api/v1/admin/after-sales/${id}/${action}`,
    headers: { 'idempotency-key': idemKey() },
    payload: {},
  });
const ship = (orderId: number, lang = 'zh-CN') =>
  staff.request({
    method: 'POST',
    url: `/api/v1/admin/orders/${orderId}/ship`,
    headers: { 'accept-language': lang },
    payload: { carrier: 'SF', trackingNo: `SF${orderId}` },
  });
const all = (order: { lines: Line[] }) => order.lines.map((l) => ({ lineId: l.id, qty: l.qty }));

describe(`order after-sale state on ${DB_KIND}`, () => {
  it('an order with an open refund request cannot ship, and both apps see the request open', async () => {
    const { buyer, order } = await paidOrder([{ priceFen: 4990, qty: 2 }]);
    const asked = await ask(buyer, order.id, [{ lineId: order.lines[0]!.id, qty: 1 }]);
    expect(asked.statusCode).toBe(201);

    const refused = await ship(order.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'ORDER_AFTER_SALE_OPEN',
      message: '该订单有未处理完的售后申请，请先审核后再发货',
    });
    expect((await ship(order.id, 'en')).json().message).toBe(
      'This order has an open refund request; review it before shipping',
    );
    const mine = (await buyer.request({ method: 'GET', url: `/api/v1/orders/${order.id}` })).json();
    expect(mine).toMatchObject({ state: 'paid', afterSaleOpen: true, refundStatus: 'none' });
    const listed = (
      await staff.request({ method: 'GET', url: `/api/v1/admin/orders?q=${order.orderNo}` })
    ).json();
    expect(listed.items[0]).toMatchObject({ id: order.id, afterSaleOpen: true });

    // rejected: the request is closed, the order ships
    expect((await decide(asked.json().id, 'reject')).statusCode).toBe(200);
    const shipped = await ship(order.id);
    expect(shipped.statusCode).toBe(200);
    expect(shipped.json()).toMatchObject({ state: 'shipped', afterSaleOpen: false });
  });

  it('a partly refunded order ships the rest; a fully refunded one is refused with its own message', async () => {
    const part = await paidOrder([{ priceFen: 4990, qty: 2 }]);
    const one = await ask(part.buyer, part.order.id, [{ lineId: part.order.lines[0]!.id, qty: 1 }]);
    expect((await decide(one.json().id, 'approve')).json().status).toBe('refunded');
    expect((await ship(part.order.id)).statusCode).toBe(200);

    const whole = await paidOrder([{ priceFen: 4990, qty: 1 }]);
    const asked = await ask(whole.buyer, whole.order.id, all(whole.order));
    expect((await decide(asked.json().id, 'approve')).json().status).toBe('refunded');
    const refused = await ship(whole.order.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'ORDER_FULLY_REFUNDED',
      message: '该订单已全额退款，无需发货',
    });
    expect((await ship(whole.order.id, 'en')).json().message).toBe(
      'This order was fully refunded; there is nothing to ship',
    );
    const mine = (
      await whole.buyer.request({ method: 'GET', url: `/api/v1/orders/${whole.order.id}` })
    ).json();
    expect(mine).toMatchObject({ state: 'paid', refundStatus: 'full', afterSaleOpen: false });
  });

  it('a request still being written when staff press ship makes the ship wait and refuse', async () => {
    const { buyer, order } = await paidOrder([{ priceFen: 1000, qty: 1 }]);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let requested!: () => void;
    const inserted = new Promise<void>((r) => (requested = r));
    // the buyer's request, committed only after the ship has started
    const request = t.deps.db.transaction().execute(async (tx) => {
      const r = await requestAfterSale(
        tx,
        buyer.userId,
        order.id,
        { kind: 'refund', reason: '', lines: all(order) },
        t.clock.now(),
      );
      expect(r.ok).toBe(true);
      requested();
      await held;
    });
    await inserted;
    const shipping = ship(order.id);
    await new Promise((r) => setTimeout(r, 300));
    release();
    await request;
    const answer = await shipping;
    expect(answer.json()).toMatchObject({ code: 'ORDER_AFTER_SALE_OPEN' });
    const o = (await buyer.request({ method: 'GET', url: `/api/v1/orders/${order.id}` })).json();
    expect(o).toMatchObject({ state: 'paid', afterSaleOpen: true });
  });

  it('many ships racing many requests: every order either shipped first or waits for review', async () => {
    const orders = [];
    for (let i = 0; i < 25; i++) orders.push(await paidOrder([{ priceFen: 1000, qty: 1 }]));
    const results = await Promise.all(
      orders.map(async ({ buyer, order }) => {
        const [shipped, asked] = await Promise.all([
          ship(order.id),
          ask(buyer, order.id, all(order)),
        ]);
        return { order, shipped, asked };
      }),
    );
    for (const { shipped, asked } of results) {
      expect(asked.statusCode).toBe(201);
      if (shipped.statusCode !== 200) expect(shipped.json().code).toBe('ORDER_AFTER_SALE_OPEN');
    }
  });
});

describe(`refund review on ${DB_KIND}`, () => {
  it('a pending request shows what approval refunds, its lines, the order and (to staff) the buyer', async () => {
    // 3 × 33.33 + 1 × 10.01, partly paid with points and balance: the shares are uneven
    const { buyer, order } = await paidOrder(
      [
        { priceFen: 3333, qty: 3 },
        { priceFen: 1001, qty: 1 },
      ],
      { points: 1001, cashFen: 777 },
    );
    const phone = nextPhone();
    await t.deps.db
      .updateTable('users')
      .set({ phone, nickname: '小王' })
      .where('id', '=', buyer.userId)
      .execute();
    const [a, b] = order.lines as [Line, Line];

    for (const lines of [
      [{ lineId: a.id, qty: 2 }],
      [
        { lineId: a.id, qty: 1 },
        { lineId: b.id, qty: 1 },
      ],
    ]) {
      const asked = await ask(buyer, order.id, lines);
      expect(asked.statusCode).toBe(201);
      const id = asked.json().id as number;
      const queue = (
        await staff.request({
          method: 'GET',
          url: `/api/v1/admin/after-sales?status=pending&orderId=${order.id}`,
        })
      ).json();
      const shown = queue.items.find((r: { id: number }) => r.id === id);
      expect(shown).toMatchObject({
        orderId: order.id,
        orderNo: order.orderNo,
        buyer: { nickname: '小王', phone: `${phone.slice(0, 3)}****${phone.slice(-4)}` },
        lines: lines.map((l) => ({ lineId: l.lineId, qty: l.qty, title: 'Test product' })),
      });
      expect(shown.refundFen + shown.refundBalanceFen).toBeGreaterThan(0);
      // the shopper sees the same amounts, without the buyer block
      const own = (await buyer.request({ method: 'GET', url: `/api/v1/after-sales/${id}` })).json();
      expect(own).not.toHaveProperty('buyer');
      expect(own).toMatchObject({
        orderNo: order.orderNo,
        refundFen: shown.refundFen,
        refundBalanceFen: shown.refundBalanceFen,
        refundPoints: shown.refundPoints,
      });

      const approved = (await decide(id, 'approve')).json();
      expect(approved.status).toBe('refunded');
      expect({
        refundFen: approved.refundFen,
        refundBalanceFen: approved.refundBalanceFen,
        refundPoints: approved.refundPoints,
        lines: approved.lines,
      }).toEqual({
        refundFen: shown.refundFen,
        refundBalanceFen: shown.refundBalanceFen,
        refundPoints: shown.refundPoints,
        lines: shown.lines,
      });
    }
    // the console's order detail lists the requests the same way
    const detail = (
      await staff.request({ method: 'GET', url: `/api/v1/admin/orders/${order.id}` })
    ).json();
    expect(detail.afterSales).toHaveLength(2);
    expect(detail.afterSales[0]).toMatchObject({ buyer: { nickname: '小王' }, status: 'refunded' });
  });
});
