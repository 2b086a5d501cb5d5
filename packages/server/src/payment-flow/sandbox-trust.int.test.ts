import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app.ts';
import { DB_KIND, freshDatabase } from '../../test/db.ts';
import { buildApp } from '../app/app.ts';
import { loadConfig } from '../config/config.ts';
import { SandboxProvider } from '../payments/index.ts';
import { setCommerceConfig } from '../orders/config.ts';
import {
  addressOf,
  deliver,
  placeOrder,
  quickShopper,
  sandboxNotification,
  seedSku,
} from '../orders/testing.ts';
import { sandboxOf } from './registry.ts';
import { storedSandboxSecret } from './sandbox-secret.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, { payMinutes: 30 });
});
afterAll(async () => t.close());

async function unpaidOrder() {
  const buyer = await quickShopper(t);
  const { skuId } = await seedSku(t, { priceFen: 5000, stock: 100 });
  const order = (
    await placeOrder(buyer, { items: [{ skuId, qty: 1 }], addressId: await addressOf(buyer) })
  ).json() as { id: number };
  return { buyer, orderId: order.id };
}

const orderState = async (id: number) =>
  (
    await t.deps.db
      .selectFrom('orders')
      .select('state')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).state;

describe(`the sandbox secret on ${DB_KIND}`, () => {
  it('is random per database, kept there, and the same for every process on it', async () => {
    const secret = t.deps.config.sandboxSecret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(await storedSandboxSecret(t.deps.db)).toBe(secret);
    // a second process on the same database (config without FANLI_SANDBOX_SECRET)
    const other = { ...t.deps, config: loadConfig({}, { logLevel: 'silent' }) };
    const app = await buildApp(other, { logger: false, web: false });
    expect(other.config.sandboxSecret).toBe(secret);
    await app.close();
    // processes starting together on a new database agree on one secret
    const database = await freshDatabase();
    const made = await Promise.all(
      Array.from({ length: 20 }, () => storedSandboxSecret(database.db)),
    );
    await database.close();
    expect(new Set(made).size).toBe(1);
    expect(made[0]).not.toBe(secret);
  });

  it('refuses a notification signed with the old public demo secret', async () => {
    const { buyer, orderId } = await unpaidOrder();
    const { started } = await sandboxNotification(t, buyer, orderId);
    const forger = new SandboxProvider({
      secret: 'fanli-sandbox-demo-secret',
      now: () => t.clock.now().getTime(),
    });
    const body = JSON.stringify({
      id: 'SBNforged0000000001',
      type: 'payment.succeeded',
      out_trade_no: started.outTradeNo,
      trade_no: 'SBXFORGED',
      amount_fen: started.amountFen,
      paid_at: t.clock.now().toISOString(),
    });
    const res = await deliver(t, { rawBody: body, headers: forger.signHeaders(body) });
    expect(res.statusCode).toBe(401);
    expect(await orderState(orderId)).toBe('pending_payment');
  });

  it('posts notifications only to this server, whatever a signed link names', async () => {
    const { buyer, orderId } = await unpaidOrder();
    const { started } = await sandboxNotification(t, buyer, orderId);
    const created = await sandboxOf(t.deps)!.createPayment({
      outTradeNo: started.outTradeNo,
      amountFen: started.amountFen,
      description: 'd',
      payer: {},
      notifyUrl: 'http://127.0.0.1:9/internal',
      returnUrl: '/orders/1',
      scene: 'h5',
    });
    if (!created.ok || created.action.kind !== 'redirect') throw new Error('expected a redirect');
    const url = new URL(created.action.url, 'http://x');
    const confirm = await t.app.inject({
      method: 'POST',
      url: `${url.pathname}/confirm${url.search}`,
    });
    expect(confirm.statusCode).toBe(400);
    expect(await orderState(orderId)).toBe('pending_payment');
  });
});

describe(`paying from the shop opened at another address than FANLI_PUBLIC_URL on ${DB_KIND}`, () => {
  it('takes a return path, resolves it on the server, and brings the shopper back to the address they used', async () => {
    const { buyer, orderId } = await unpaidOrder();
    // the shop at http://127.0.0.1:3000 while FANLI_PUBLIC_URL is http://localhost:3000
    const host = { host: '127.0.0.1:3000' };
    const pay = await buyer.request({
      method: 'POST',
      url: `/api/v1/orders/${orderId}/pay`,
      headers: host,
      payload: { returnUrl: `/orders/${orderId}`, scene: 'h5' },
    });
    expect(pay.statusCode, pay.body).toBe(200);
    const { outTradeNo, action } = pay.json() as { outTradeNo: string; action: { url: string } };
    const link = new URL(action.url, 'http://127.0.0.1:3000');
    // the provider is given an absolute URL on the public address
    expect(link.searchParams.get('return')).toBe(`${t.deps.config.publicUrl}/orders/${orderId}`);
    const page = await t.app.inject({
      method: 'GET',
      url: `${link.pathname}${link.search}`,
      headers: host,
    });
    expect(page.statusCode).toBe(200);
    const confirm = await t.app.inject({
      method: 'POST',
      url: `${link.pathname}/confirm${link.search}`,
      headers: host,
    });
    expect(confirm.statusCode).toBe(303);
    // a path: the browser stays on 127.0.0.1, where its session cookie is
    expect(confirm.headers.location).toBe(
      `/orders/${orderId}?outTradeNo=${outTradeNo}&result=paid`,
    );
    for (let i = 0; i < 50 && (await orderState(orderId)) !== 'paid'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await orderState(orderId)).toBe('paid');
  });

  it('accepts a URL on the public address, and refuses other sites and host-relative tricks with a clear reason', async () => {
    const { buyer, orderId } = await unpaidOrder();
    const pay = (returnUrl: string) =>
      buyer.request({
        method: 'POST',
        url: `/api/v1/orders/${orderId}/pay`,
        payload: { returnUrl },
        headers: { 'accept-language': 'en' },
      });
    expect((await pay(`${t.deps.config.publicUrl}/orders/${orderId}`)).statusCode).toBe(200);
    for (const elsewhere of [
      'https://evil.example/x',
      '//evil.example/x',
      '/\\evil.example/x',
      'javascript:alert(1)',
      'orders/1',
    ]) {
      const res = await pay(elsewhere);
      expect(res.statusCode, elsewhere).toBe(400);
      expect(res.json(), elsewhere).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: {
          fields: [
            { field: 'body.returnUrl', reason: 'must be a path on this site, such as /orders/1' },
          ],
        },
      });
    }
  });
});
