import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, testApp, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { balanceOf, userAccount, verifyLedger } from '../ledger/index.ts';
import { setCommerceConfig } from '../orders/config.ts';
import { JOB_AUTO_CANCEL } from '../orders/lifecycle.ts';
import {
  addressOf,
  fund,
  placeOrder,
  publishTestRules,
  quickShopper,
  seedSku,
  stockOf as stockOfSku,
} from '../orders/testing.ts';
import type { CheckoutHooks } from './hooks.ts';
import { buildApp } from '../app/app.ts';
import { MODULES } from '../app/modules.ts';
import { buildRegistry, composeDeps } from '../app/registry.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, {
    payMinutes: 30,
    points: { enabled: true, maxSharePct: 10 },
  });
  // these tests count in points of 1 fen
  await publishTestRules(t, { points: { fenPerPoint: 1 } });
});
afterAll(async () => {
  await t.close();
});

const stockOf = (skuId: number) => stockOfSku(t, skuId);

const ordersOf = (userId: number) =>
  t.deps.db.selectFrom('orders').select('id').where('user_id', '=', userId).execute();

describe(`placing an order on ${DB_KIND}`, () => {
  it('an order and what refers to it: transfers, auto-cancel job, member level, address snapshot', async () => {
    const buyer = await quickShopper(t);
    const addressId = await addressOf(buyer);
    await t.deps.db
      .updateTable('users')
      .set({ member_level: 'gold' })
      .where('id', '=', buyer.userId)
      .execute();
    await fund(t, buyer.userId, 'points', 5000);
    await fund(t, buyer.userId, 'cash', 500);
    const a = await seedSku(t, { priceFen: 9900, stock: 5 });
    const b = await seedSku(t, { priceFen: 100, stock: 5 });
    const res = await placeOrder(buyer, {
      items: [
        { skuId: b.skuId, qty: 1 },
        { skuId: a.skuId, qty: 1 },
        { skuId: b.skuId, qty: 1 },
      ],
      usePoints: true,
      useBalance: true,
      addressId,
      note: 'ring first',
    });
    expect(res.statusCode).toBe(201);
    const answer = res.json();
    const order = await t.deps.db
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', answer.id)
      .executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      user_id: buyer.userId,
      state: 'pending_payment',
      items_fen: 10100,
      points_fen: 1010,
      points_used: 1010,
      balance_fen: 500,
      payable_fen: 8590,
      member_level: 'gold',
      note: 'ring first',
      address: {
        name: '张三',
        phone: expect.any(String),
        province: '广东',
        city: '深圳',
        district: '',
        detail: `南山区 ${buyer.userId} 号`,
      },
    });
    // the answer is the row as written
    expect(answer).toMatchObject({ payableFen: order.payable_fen, orderNo: order.order_no });
    expect(answer.lines.map((l: { skuId: number; qty: number }) => [l.skuId, l.qty])).toEqual([
      [a.skuId, 1],
      [b.skuId, 2],
    ]);
    // the reservations name the order, and the order names them
    const transfers = await t.deps.db
      .selectFrom('ledger_transfers')
      .select(['id', 'reason', 'amount', 'kind'])
      .where('source_type', '=', 'order')
      .where('source_id', '=', String(order.id))
      .orderBy('id')
      .execute();
    expect(transfers).toEqual([
      { id: order.points_transfer_id, reason: 'order.points', amount: 1010, kind: 'pending' },
      { id: order.balance_transfer_id, reason: 'order.balance', amount: 500, kind: 'pending' },
    ]);
    const jobs = await t.deps.db
      .selectFrom('jobs')
      .select(['payload', 'run_at', 'status'])
      .where('unique_key', '=', `${JOB_AUTO_CANCEL}:${order.id}`)
      .execute();
    expect(jobs).toEqual([
      { payload: { orderId: order.id }, run_at: order.pay_deadline, status: 'queued' },
    ]);
    expect(order.pay_deadline.getTime() - order.created_at.getTime()).toBe(30 * 60_000);
    expect(await stockOf(b.skuId)).toBe(3);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('an order paid in full by balance has no auto-cancel job', async () => {
    const buyer = await quickShopper(t);
    await fund(t, buyer.userId, 'cash', 3000);
    const { skuId } = await seedSku(t, { priceFen: 3000, stock: 5 });
    const res = await placeOrder(buyer, {
      items: [{ skuId, qty: 1 }],
      useBalance: true,
      addressId: await addressOf(buyer),
    });
    expect(res.json()).toMatchObject({ state: 'paid', payableFen: 0 });
    expect(
      await t.deps.db
        .selectFrom('jobs')
        .select('id')
        .where('unique_key', '=', `${JOB_AUTO_CANCEL}:${res.json().id}`)
        .execute(),
    ).toEqual([]);
  });

  it("another shopper's address is refused before any stock or SKU error, and nothing stays written", async () => {
    const buyer = await quickShopper(t);
    const other = await quickShopper(t);
    const own = await addressOf(buyer);
    const foreign = await addressOf(other);
    const { skuId, productId } = await seedSku(t, { priceFen: 500, stock: 1 });
    const answer = async (items: { skuId: number; qty: number }[], addressId: number) =>
      (await placeOrder(buyer, { items, addressId })).json().code as string;
    expect(await answer([{ skuId, qty: 1 }], foreign)).toBe('ADDRESS_REQUIRED');
    expect(await answer([{ skuId, qty: 2 }], foreign)).toBe('ADDRESS_REQUIRED');
    expect(await answer([{ skuId: 999_999_999, qty: 1 }], foreign)).toBe('ADDRESS_REQUIRED');
    expect(await answer([{ skuId, qty: 1 }], 999_999_999)).toBe('ADDRESS_REQUIRED');
    expect(await answer([{ skuId, qty: 2 }], own)).toBe('OUT_OF_STOCK');
    expect(await answer([{ skuId: 999_999_999, qty: 1 }], own)).toBe('SKU_NOT_AVAILABLE');
    const shelf = (on: boolean) =>
      t.deps.db.updateTable('products').set({ on_shelf: on }).where('id', '=', productId).execute();
    await shelf(false);
    try {
      expect(await answer([{ skuId, qty: 1 }], foreign)).toBe('ADDRESS_REQUIRED');
      expect(await answer([{ skuId, qty: 1 }], own)).toBe('SKU_NOT_AVAILABLE');
    } finally {
      await shelf(true);
    }
    expect(await stockOf(skuId)).toBe(1);
    expect(await ordersOf(buyer.userId)).toEqual([]);
  });

  it('a coupon is checked in the preview and redeemed against the placed order', async () => {
    const calls: { redeem: boolean; orderId?: number; amountFen: number }[] = [];
    const applyCoupon: CheckoutHooks['applyCoupon'] = async (_tx, input) => {
      calls.push({
        redeem: input.redeem,
        amountFen: input.amountFen,
        ...(input.orderId !== undefined ? { orderId: input.orderId } : {}),
      });
      if (input.couponId !== 7) return { ok: false, code: 'COUPON_NOT_AVAILABLE' };
      return { ok: true, value: { couponId: 7, discountFen: 300 } };
    };
    // a server on the same database with a coupon module: the shared one has none
    const registry = buildRegistry([...MODULES, { name: 'coupons', checkout: { applyCoupon } }]);
    const app = await buildApp(composeDeps(t.deps, registry), { logger: false, web: false });
    await app.ready();
    const signedUp = await quickShopper(t);
    const buyer = callerFor(app, signedUp.userId, signedUp.token);
    const addressId = await addressOf(buyer);
    const { skuId } = await seedSku(t, { priceFen: 2000, stock: 3 });
    const items = [{ skuId, qty: 1 }];
    const preview = await buyer.request({
      method: 'POST',
      url: '/api/v1/checkout/preview',
      payload: { items, couponId: 7 },
    });
    expect(preview.json()).toMatchObject({ couponFen: 300, payableFen: 1700 });
    expect(calls).toEqual([{ redeem: false, amountFen: 2000 }]);

    const refused = await placeOrder(buyer, { items, couponId: 8, addressId });
    expect(refused.json().code).toBe('COUPON_NOT_AVAILABLE');
    expect(await stockOf(skuId)).toBe(3);
    expect(await ordersOf(buyer.userId)).toEqual([]);

    calls.length = 0;
    const placed = await placeOrder(buyer, { items, couponId: 7, addressId });
    expect(placed.json()).toMatchObject({ couponId: 7, couponFen: 300, payableFen: 1700 });
    expect(calls).toEqual([{ redeem: true, orderId: placed.json().id, amountFen: 2000 }]);
    await app.close();

    // the shared server never had the coupon module
    const plain = await placeOrder(signedUp, { items, couponId: 7, addressId });
    expect(plain.json().code).toBe('COUPON_NOT_AVAILABLE');
    expect(calls).toHaveLength(1);
  });

  it('points are worth the rules’ fenPerPoint: preview and checkout agree, and new rules change it', async () => {
    const buyer = await quickShopper(t);
    const addressId = await addressOf(buyer);
    await fund(t, buyer.userId, 'points', 40);
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 10 });
    const items = [{ skuId, qty: 3 }]; // 300.00; points may pay 10 % = 30.00
    const pointsOf = async () =>
      (await balanceOf(t.deps.db, userAccount(buyer.userId, 'points'))).pendingOut;
    const checkout = async () => {
      const preview = await buyer.request({
        method: 'POST',
        url: '/api/v1/checkout/preview',
        payload: { items, usePoints: true },
      });
      expect(preview.statusCode, preview.body).toBe(200);
      const before = await pointsOf();
      const placed = await placeOrder(buyer, { items, usePoints: true, addressId });
      expect(placed.statusCode, placed.body).toBe(201);
      const order = placed.json();
      // what the preview promised is what the order took, and the ledger reserved the points
      for (const k of ['pointsUsed', 'pointsFen', 'payableFen'])
        expect(order[k], k).toBe(preview.json()[k]);
      expect((await pointsOf()) - before).toBe(order.pointsUsed);
      await buyer.request({ method: 'POST', url: `/api/v1/orders/${order.id}/cancel` });
      return {
        pointsUsed: order.pointsUsed,
        pointsFen: order.pointsFen,
        payableFen: order.payableFen,
      };
    };

    // the default rule: 1 point = 1.00 yuan → 30 points pay 30.00
    await publishTestRules(t, {});
    expect(await checkout()).toEqual({ pointsUsed: 30, pointsFen: 3000, payableFen: 27000 });
    // 1 point = 0.50 yuan → the 40 points held pay 20.00
    await publishTestRules(t, { points: { fenPerPoint: 50 } });
    expect(await checkout()).toEqual({ pointsUsed: 40, pointsFen: 2000, payableFen: 28000 });
    // 1 point = 0.01 yuan → 40 points pay 0.40
    await publishTestRules(t, { points: { fenPerPoint: 1 } });
    expect(await checkout()).toEqual({ pointsUsed: 40, pointsFen: 40, payableFen: 29960 });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });
});
