import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { balanceOf, gatewayAccount, merchantAccount, verifyLedger } from '../ledger/index.ts';
import { SandboxProvider, WechatPayProvider, type PaymentProvider } from '../payments/index.ts';
import { FakeWechatPay } from '../payments/testing/fake-wechatpay.ts';
import { rsaKeyPair } from '../payments/testing/keys.ts';
import { setCommerceConfig } from '../orders/config.ts';
import {
  addressOf,
  deliver,
  placeOrder,
  quickShopper,
  sandboxNotification,
  seedSku,
} from '../orders/testing.ts';
import { installProvider, sandboxOf } from './registry.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, { payMinutes: 30 });
});
afterAll(async () => {
  await t.close();
});

async function unpaidOrder(priceFen = 16800) {
  const buyer = await quickShopper(t);
  const { skuId } = await seedSku(t, { priceFen, stock: 100 });
  const order = (
    await placeOrder(buyer, { items: [{ skuId, qty: 1 }], addressId: await addressOf(buyer) })
  ).json() as { id: number };
  return { buyer, orderId: order.id };
}

const snapshot = async () => ({
  transfers: Number(
    (
      await t.deps.db
        .selectFrom('ledger_transfers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  paid: Number(
    (
      await t.deps.db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', 'paid')
        .executeTakeFirstOrThrow()
    ).n,
  ),
  paidPayments: Number(
    (
      await t.deps.db
        .selectFrom('payments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'paid')
        .executeTakeFirstOrThrow()
    ).n,
  ),
});

describe(`payment notifications on ${DB_KIND}`, () => {
  it('rejects bad signature, stale, missing headers, re-serialized body, wrong amount and unknown trade — with no write', async () => {
    const { buyer, orderId } = await unpaidOrder();
    const { notification: n, started } = await sandboxNotification(t, buyer, orderId);
    const sandbox = sandboxOf(t.deps)!;
    const before = await snapshot();
    const body = JSON.parse(n.rawBody) as Record<string, unknown>;
    // count every outbound call the server makes while rejecting
    const outbound: string[] = [];
    const spy = new Proxy(sandbox, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (
            ['createPayment', 'queryPayment', 'refund', 'transfer', 'queryTransfer'].includes(
              String(prop),
            )
          )
            outbound.push(String(prop));
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    installProvider(t.deps, 'sandbox', spy);

    const tampered = {
      ...n.headers,
      'x-fanli-sandbox-signature': Buffer.from('x'.repeat(32)).toString('base64'),
    };
    const reserialized = JSON.stringify(body, null, 2); // same meaning, other bytes
    const wrongAmount = JSON.stringify({ ...body, amount_fen: started.amountFen - 1 });
    const unknownTrade = JSON.stringify({ ...body, out_trade_no: 'NOSUCHTRADE123' });
    const stale = new SandboxProvider({
      secret: t.deps.config.sandboxSecret,
      now: () => t.clock.now().getTime() - 10 * 60_000,
    });
    const missing = { 'content-type': 'application/json' };
    const cases = [
      {
        name: 'bad signature',
        res: await deliver(t, { rawBody: n.rawBody, headers: tampered }),
        status: 401,
      },
      {
        name: 'missing signature',
        res: await deliver(t, { rawBody: n.rawBody, headers: missing }),
        status: 401,
      },
      {
        name: 're-serialized body',
        res: await deliver(t, { rawBody: reserialized, headers: n.headers }),
        status: 401,
      },
      {
        name: 'stale timestamp',
        res: await deliver(t, { rawBody: n.rawBody, headers: stale.signHeaders(n.rawBody) }),
        status: 401,
      },
      {
        name: 'wrong amount (validly signed)',
        res: await deliver(t, { rawBody: wrongAmount, headers: sandbox.signHeaders(wrongAmount) }),
        status: 400,
      },
      {
        name: 'unknown trade (validly signed)',
        res: await deliver(t, {
          rawBody: unknownTrade,
          headers: sandbox.signHeaders(unknownTrade),
        }),
        status: 400,
      },
      {
        name: 'another secret',
        res: await deliver(t, {
          rawBody: n.rawBody,
          headers: new SandboxProvider({
            secret: 'another-secret-0123456789',
            now: () => t.clock.now().getTime(),
          }).signHeaders(n.rawBody),
        }),
        status: 401,
      },
    ];
    installProvider(t.deps, 'sandbox', sandbox);
    for (const c of cases) expect([c.name, c.res.statusCode]).toEqual([c.name, c.status]);
    expect(outbound).toEqual([]);
    expect(await snapshot()).toEqual(before);
    expect(
      (await buyer.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })).json().state,
    ).toBe('pending_payment');
  });

  it('20 concurrent deliveries of one valid notification: one transition, one ledger transfer, all acknowledged', async () => {
    const { buyer, orderId } = await unpaidOrder(16800);
    const { notification } = await sandboxNotification(t, buyer, orderId);
    const before = await snapshot();
    const gatewayBefore = await balanceOf(t.deps.db, gatewayAccount('sandbox'));
    const acks = await Promise.all(Array.from({ length: 20 }, () => deliver(t, notification)));
    expect(acks.map((a) => a.statusCode)).toEqual(Array(20).fill(204));
    const after = await snapshot();
    expect(after.paid - before.paid).toBe(1);
    expect(after.paidPayments - before.paidPayments).toBe(1);
    expect(after.transfers - before.transfers).toBe(1);
    expect(
      (await balanceOf(t.deps.db, gatewayAccount('sandbox'))).available - gatewayBefore.available,
    ).toBe(-16800);
    expect(
      (await buyer.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })).json().state,
    ).toBe('paid');
    // and later replays too
    expect((await deliver(t, notification)).statusCode).toBe(204);
    expect((await snapshot()).transfers).toBe(after.transfers);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('the sandbox pay page pays end to end: page → confirm → notification → order paid', async () => {
    const { buyer, orderId } = await unpaidOrder(2500);
    const pay = (
      await buyer.request({ method: 'POST', url: `/api/v1/orders/${orderId}/pay`, payload: {} })
    ).json();
    expect(pay.action.kind).toBe('redirect');
    const page = await t.app.inject({ method: 'GET', url: pay.action.url });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('25.00');
    const done = new Promise<boolean>((resolve) => {
      const poll = async () => {
        const s = (await buyer.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })).json()
          .state;
        if (s === 'paid') resolve(true);
        else setTimeout(poll, 20);
      };
      void poll();
    });
    const confirmUrl = pay.action.url.replace(/^(\/sandbox\/pay\/[^?]+)\?/, '$1/confirm?');
    const confirm = await t.app.inject({
      method: 'POST',
      url: confirmUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(confirm.statusCode).toBe(303);
    expect(await done).toBe(true);
    // paying again is refused by the page
    expect((await t.app.inject({ method: 'GET', url: pay.action.url })).statusCode).toBe(409);
  });

  it('asking to pay twice reuses the waiting payment (one out_trade_no)', async () => {
    const { buyer, orderId } = await unpaidOrder(700);
    const a = (
      await buyer.request({ method: 'POST', url: `/api/v1/orders/${orderId}/pay`, payload: {} })
    ).json();
    const b = (
      await buyer.request({ method: 'POST', url: `/api/v1/orders/${orderId}/pay`, payload: {} })
    ).json();
    expect(a.outTradeNo).toBe(b.outTradeNo);
    expect(
      (
        await buyer.request({
          method: 'POST',
          url: `/api/v1/orders/${orderId}/pay`,
          payload: { returnUrl: 'https://evil.example/x' },
        })
      ).statusCode,
    ).toBe(400);
  });

  it('concurrent requests to pay one order: one payment, one reconcile job for it', async () => {
    const { buyer, orderId } = await unpaidOrder(800);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        buyer.request({ method: 'POST', url: `/api/v1/orders/${orderId}/pay`, payload: {} }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(6).fill(200));
    expect(new Set(answers.map((a) => a.json().outTradeNo)).size).toBe(1);
    const payments = await t.deps.db
      .selectFrom('payments')
      .select('id')
      .where('order_id', '=', orderId)
      .execute();
    expect(payments).toHaveLength(1);
    const paymentId = payments[0]!.id;
    expect(
      await t.deps.db
        .selectFrom('jobs')
        .select(['payload', 'unique_key', 'status'])
        .where('kind', '=', 'payment.reconcile')
        .where('unique_key', 'like', `payment.reconcile:${paymentId}:%`)
        .execute(),
    ).toEqual([
      { payload: { paymentId }, unique_key: `payment.reconcile:${paymentId}:1`, status: 'queued' },
    ]);
  });

  it('a payment that arrives after the order was cancelled is booked and refunded in full', async () => {
    const { buyer, orderId } = await unpaidOrder(4200);
    const { notification } = await sandboxNotification(t, buyer, orderId);
    await buyer.request({ method: 'POST', url: `/api/v1/orders/${orderId}/cancel` });
    const merchantBefore = await balanceOf(t.deps.db, merchantAccount('cash'));
    expect((await deliver(t, notification)).statusCode).toBe(204);
    await t.jobs.runDue();
    expect(
      (await buyer.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })).json().state,
    ).toBe('cancelled');
    const moves = await t.deps.db
      .selectFrom('ledger_transfers')
      .select(['reason', 'amount'])
      .where('source_type', '=', 'order')
      .where('source_id', '=', String(orderId))
      .orderBy('id')
      .execute();
    expect(moves).toEqual([
      { reason: 'order.paid', amount: 4200 },
      { reason: 'order.refund', amount: 4200 },
    ]);
    expect((await balanceOf(t.deps.db, merchantAccount('cash'))).available).toBe(
      merchantBefore.available,
    );
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('reconciler: a payment whose notification never came is found paid by querying the provider', async () => {
    const { buyer, orderId } = await unpaidOrder(990);
    await sandboxNotification(t, buyer, orderId); // paid at the sandbox, notification lost
    t.clock.advance(6 * 60_000);
    await t.jobs.runDue();
    expect(
      (await buyer.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })).json().state,
    ).toBe('paid');
  });

  it('auto-cancel asks the provider first: a late-notified payment wins over the deadline', async () => {
    const { buyer, orderId } = await unpaidOrder(1990);
    // a provider whose queries say "not paid" until the deadline job asks
    const sandbox = sandboxOf(t.deps)!;
    let calls = 0;
    const wrapper: PaymentProvider = Object.assign(Object.create(sandbox) as PaymentProvider, {
      queryPayment: async (no: string) =>
        ++calls === 1
          ? {
              ok: false as const,
              code: 'PROVIDER_TIMEOUT' as const,
              retryable: true,
              message: 'slow',
            }
          : sandbox.queryPayment(no),
    });
    installProvider(t.deps, 'sandbox', wrapper);
    try {
      await sandboxNotification(t, buyer, orderId);
      t.clock.advance(31 * 60_000);
      await t.jobs.runDue();
      expect(
        (await buyer.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })).json().state,
      ).toBe('paid');
    } finally {
      installProvider(t.deps, 'sandbox', sandbox);
    }
  });
});

describe(`WeChat Pay notifications through the server on ${DB_KIND}`, () => {
  it('rejects an unknown serial, a bad key, a wrong amount; books a valid one once', async () => {
    const merchant = rsaKeyPair();
    const platform = rsaKeyPair();
    const keys = {
      mchid: '1900000109',
      appid: 'wxd678efh567hg6787',
      merchantSerialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
      platformSerial: 'PUB_KEY_ID_0119000001092024080100000000000001',
      apiV3Key: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5',
    };
    const fake = await new FakeWechatPay({
      ...keys,
      merchantPublicKey: merchant.publicKey,
      platformPrivateKey: platform.privateKey,
    }).start();
    // WeChat Pay only calls https notify URLs
    const publicUrl = t.deps.config.publicUrl;
    t.deps.config.publicUrl = 'https://shop.example.com';
    try {
      installProvider(
        t.deps,
        'wechatpay',
        new WechatPayProvider({
          ...keys,
          merchantPrivateKey: merchant.privateKey
            .export({ type: 'pkcs8', format: 'pem' })
            .toString(),
          platformPublicKeys: { [keys.platformSerial]: platform.publicKey },
          baseUrl: fake.baseUrl,
          timeoutMs: 2000,
        }),
      );
      const { buyer, orderId } = await unpaidOrder(16800);
      const pay = await buyer.request({
        method: 'POST',
        url: `/api/v1/orders/${orderId}/pay`,
        payload: { provider: 'wechatpay', scene: 'jsapi', openid: 'o-buyer' },
      });
      expect(pay.statusCode).toBe(200);
      const { outTradeNo } = pay.json() as { outTradeNo: string };
      const before = await snapshot();
      const unknownSerial = fake.notification(
        'TRANSACTION.SUCCESS',
        fake.paidResource(outTradeNo),
        { serial: 'PUB_KEY_ID_0119000001092024080100000000009999' },
      );
      const strangerKey = fake.notification('TRANSACTION.SUCCESS', fake.paidResource(outTradeNo), {
        key: rsaKeyPair().privateKey,
      });
      const wrongAmount = fake.notification(
        'TRANSACTION.SUCCESS',
        fake.paidResource(outTradeNo, { totalFen: 1 }),
      );
      for (const n of [unknownSerial, strangerKey, wrongAmount]) {
        const res = await deliver(t, n, 'wechatpay');
        expect([400, 401]).toContain(res.statusCode);
      }
      expect(await snapshot()).toEqual(before);
      const good = fake.notification('TRANSACTION.SUCCESS', fake.paidResource(outTradeNo));
      const acks = await Promise.all(
        Array.from({ length: 5 }, () => deliver(t, good, 'wechatpay')),
      );
      for (const a of acks) expect(a.statusCode).toBeLessThan(300);
      const after = await snapshot();
      expect([after.paid - before.paid, after.transfers - before.transfers]).toEqual([1, 1]);
      expect((await balanceOf(t.deps.db, gatewayAccount('wechatpay'))).available).toBe(-16800);
    } finally {
      t.deps.config.publicUrl = publicUrl;
      await fake.close();
    }
  });
});
