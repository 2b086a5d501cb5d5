import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { setCommerceConfig } from '../orders/config.ts';
import { addressOf, buyAndPay, placeOrder, quickShopper, seedSku } from '../orders/testing.ts';
import { MODULES } from './modules.ts';
import { buildRegistry, type Module } from './registry.ts';

// What one extra module saw, counted by the server that runs it.
const heardPaid: number[] = [];
const posted: string[] = [];
let commits = 0;
const spy: Module = {
  name: 'spy',
  orderListeners: [{ name: 'spy', onPaid: async (_tx, e) => void heardPaid.push(e.orderId) }],
  ledgerObservers: [async (_tx, transfer) => void posted.push(transfer.reason)],
  txHooks: [{ afterCommit: () => void commits++ }],
  checkout: {
    applyCoupon: async (_tx, input) => ({
      ok: true,
      value: { couponId: input.couponId, discountFen: 100 },
    }),
  },
};

let plain: TestApp;
let withSpy: TestApp;
beforeAll(async () => {
  // two servers in one process: one with the module table, one with an extra module
  plain = await testApp();
  withSpy = await testApp({}, [...MODULES, spy]);
  for (const t of [plain, withSpy]) setCommerceConfig(t.deps, { payMinutes: 30 });
});
afterAll(async () => {
  await plain?.close();
  await withSpy?.close();
});

async function shopper(t: TestApp) {
  const buyer = await quickShopper(t);
  const addressId = await addressOf(buyer);
  const { skuId } = await seedSku(t, { priceFen: 1000, stock: 5 });
  return { buyer, addressId, items: [{ skuId, qty: 1 }] };
}

describe(`two servers with different registries on ${DB_KIND}`, () => {
  it('each runs only its own modules: listeners, ledger observers, transaction hooks and checkout seams', async () => {
    const b = await shopper(withSpy);
    const paidWithCoupon = await buyAndPay(withSpy, b.buyer, {
      items: b.items,
      addressId: b.addressId,
      couponId: 3,
    });
    const order = (
      await b.buyer.request({ method: 'GET', url: `/api/v1/orders/${paidWithCoupon}` })
    ).json() as { couponFen: number; payableFen: number };
    expect(order).toMatchObject({ couponFen: 100, payableFen: 900 });
    expect(heardPaid).toEqual([paidWithCoupon]);
    expect(posted).toContain('order.paid');
    expect(commits).toBeGreaterThan(0);

    const seen = { paid: heardPaid.length, posted: posted.length, commits };
    const a = await shopper(plain);
    const refused = await placeOrder(a.buyer, {
      items: a.items,
      addressId: a.addressId,
      couponId: 3,
    });
    expect(refused.json().code).toBe('COUPON_NOT_AVAILABLE');
    const paid = await buyAndPay(plain, a.buyer, { items: a.items, addressId: a.addressId });
    expect(paid).toBeGreaterThan(0);
    expect({ paid: heardPaid.length, posted: posted.length, commits }).toEqual(seen);

    expect(plain.deps.registry.modules.map((m) => m.name)).not.toContain('spy');
    expect(withSpy.deps.registry.orderListeners.map((l) => l.name)).toEqual([
      ...plain.deps.registry.orderListeners.map((l) => l.name),
      'spy',
    ]);
  });

  it('a checkout seam has one owner and a module name is in the table once', () => {
    const coupons = (name: string): Module => ({
      name,
      checkout: { releaseCoupon: async () => {} },
    });
    expect(() => buildRegistry([coupons('a'), coupons('b')])).toThrow(
      /releaseCoupon is filled by a and b/,
    );
    expect(() => buildRegistry([...MODULES, { name: 'orders' }])).toThrow(/orders .* twice/);
  });
});
