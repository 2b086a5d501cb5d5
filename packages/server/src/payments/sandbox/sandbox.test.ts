import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptRawBodies } from '../raw-body.ts';
import type { ExpectLookup, NotificationVerification } from '../provider.ts';
import { SandboxProvider, type SignedNotification } from './provider.ts';
import { sandboxPayRoutes, type SandboxPaymentView } from './routes.ts';
import { SANDBOX_HEADER } from './signature.ts';

const SECRET = 'sandbox-test-secret-0123456789';
const T0 = Date.parse('2026-01-01T02:00:00Z');

function setup(now = () => T0) {
  const provider = new SandboxProvider({ secret: SECRET, publicBaseUrl: 'http://shop.test', now });
  const orders = new Map<string, SandboxPaymentView>([
    ['ORDER000001', { amountFen: 16800, description: '测试商品 <b>x1</b>', status: 'pending' }],
  ]);
  const expect: ExpectLookup = (ref) => {
    if (ref.kind !== 'payment') return null;
    const order = orders.get(ref.outTradeNo);
    return order ? { amountFen: order.amountFen } : null;
  };
  return { provider, orders, expect };
}

describe('sandbox provider notifications', () => {
  it('accepts its own signed notification and rejects tampering, staleness and wrong amounts', async () => {
    const { provider, expect: lookup, orders } = setup();
    const link = {
      outTradeNo: 'ORDER000001',
      amountFen: 16800,
      notifyUrl: 'http://x/n',
      returnUrl: '/r',
      expiresAtSec: T0 / 1000 + 60,
    };
    const n = provider.confirmPayment(link);

    const good = await provider.verifyNotification(
      { rawBody: Buffer.from(n.rawBody), headers: n.headers },
      lookup,
    );
    expect(good).toMatchObject({
      ok: true,
      event: { kind: 'paid', outTradeNo: 'ORDER000001', amountFen: 16800 },
      ack: { status: 204 },
    });

    // Same data, different spacing: the signature is over bytes, so this must fail.
    const reserialized = JSON.stringify(JSON.parse(n.rawBody), null, 1);
    expect(
      await provider.verifyNotification({ rawBody: reserialized, headers: n.headers }, lookup),
    ).toMatchObject({
      ok: false,
      code: 'NOTIFY_BAD_SIGNATURE',
      httpStatus: 401,
    });

    const stale = new SandboxProvider({ secret: SECRET, now: () => T0 + 6 * 60 * 1000 });
    expect(
      await stale.verifyNotification({ rawBody: n.rawBody, headers: n.headers }, lookup),
    ).toMatchObject({
      ok: false,
      code: 'NOTIFY_STALE_TIMESTAMP',
      httpStatus: 401,
    });

    const { [SANDBOX_HEADER.signature]: _dropped, ...unsigned } = n.headers;
    expect(
      await provider.verifyNotification({ rawBody: n.rawBody, headers: unsigned }, lookup),
    ).toMatchObject({
      ok: false,
      code: 'NOTIFY_MISSING_SIGNATURE',
    });

    orders.set('ORDER000001', { amountFen: 16801, description: '', status: 'pending' });
    expect(
      await provider.verifyNotification({ rawBody: n.rawBody, headers: n.headers }, lookup),
    ).toMatchObject({
      ok: false,
      code: 'NOTIFY_AMOUNT_MISMATCH',
      httpStatus: 400,
    });
    orders.delete('ORDER000001');
    expect(
      await provider.verifyNotification({ rawBody: n.rawBody, headers: n.headers }, lookup),
    ).toMatchObject({
      ok: false,
      code: 'NOTIFY_UNKNOWN_REFERENCE',
    });
  });

  it('refunds and transfers are idempotent by their out-numbers', async () => {
    const { provider } = setup();
    const first = await provider.refund({
      outTradeNo: 'ORDER000001',
      outRefundNo: 'REFUND0001',
      refundFen: 100,
      totalFen: 16800,
      reason: 'x',
    });
    const again = await provider.refund({
      outTradeNo: 'ORDER000001',
      outRefundNo: 'REFUND0001',
      refundFen: 100,
      totalFen: 16800,
      reason: 'x',
    });
    expect(again).toEqual(first);
    expect(
      await provider.refund({
        outTradeNo: 'ORDER000001',
        outRefundNo: 'REFUND0001',
        refundFen: 200,
        totalFen: 16800,
        reason: 'x',
      }),
    ).toMatchObject({
      ok: false,
      code: 'PROVIDER_REJECTED',
    });
    const t1 = await provider.transfer({
      outBillNo: 'BILL000001',
      payee: { openid: 'o1' },
      amountFen: 500,
      remark: 'r',
    });
    const t2 = await provider.transfer({
      outBillNo: 'BILL000001',
      payee: { openid: 'o1' },
      amountFen: 500,
      remark: 'r',
    });
    expect(t2).toEqual(t1);
    expect(await provider.queryTransfer('BILL000001')).toEqual(t1);
  });
});

describe('sandbox pay page round trip', () => {
  const apps: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  it('shows the page, confirms, and delivers a notification our notify route verifies', async () => {
    const { provider, orders, expect: lookup } = setup(Date.now);
    const app = Fastify();
    apps.push(app);
    const verifications: NotificationVerification[] = [];
    let delivered!: (ok: boolean) => void;
    const done = new Promise<boolean>((resolve) => (delivered = resolve));

    await app.register(sandboxPayRoutes, {
      provider,
      lookupPayment: (no) => orders.get(no) ?? null,
      // Deliver through the same app, the way the gateway would reach our notify URL.
      deliver: async (url, n: SignedNotification) => {
        const res = await app.inject({
          method: 'POST',
          url: new URL(url).pathname,
          headers: n.headers,
          payload: n.rawBody,
        });
        return { status: res.statusCode };
      },
      onDeliveryDone: (_no, ok) => delivered(ok),
      notifyUrl: 'http://shop.test/payments/sandbox/notify',
      returnOrigin: 'http://shop.test',
    });
    await app.register(async (scope) => {
      acceptRawBodies(scope);
      scope.post('/payments/sandbox/notify', async (req, reply) => {
        const result = await provider.verifyNotification(
          { rawBody: req.body as Buffer, headers: req.headers },
          lookup,
        );
        verifications.push(result);
        if (result.ok && result.event.kind === 'paid') {
          const order = orders.get(result.event.outTradeNo);
          if (order) order.status = 'paid';
        }
        return reply.code(result.ack.status).type(result.ack.contentType).send(result.ack.body);
      });
    });

    const created = await provider.createPayment({
      outTradeNo: 'ORDER000001',
      amountFen: 16800,
      description: '测试商品',
      payer: {},
      notifyUrl: 'http://shop.test/payments/sandbox/notify',
      returnUrl: 'http://shop.test/orders/ORDER000001',
      scene: 'h5',
    });
    if (!created.ok || created.action.kind !== 'redirect') throw new Error('expected a redirect');
    const pageUrl = new URL(created.action.url);
    expect(pageUrl.pathname).toBe('/sandbox/pay/ORDER000001');

    const page = await app.inject({
      method: 'GET',
      url: `${pageUrl.pathname}${pageUrl.search}&lang=en`,
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('¥168.00');
    expect(page.body).toContain('测试商品 &#60;b&#62;x1&#60;/b&#62;'); // description is escaped
    expect(page.body).toContain('>Pay<');
    const zh = await app.inject({
      method: 'GET',
      url: `${pageUrl.pathname}${pageUrl.search}`,
      headers: { 'accept-language': 'zh-CN,zh' },
    });
    expect(zh.body).toContain('确认支付');

    const action = /action="([^"]+)"/.exec(page.body)?.[1]?.replaceAll('&#38;', '&');
    if (!action) throw new Error('no form action');
    const confirmUrl = new URL(action, `http://shop.test${pageUrl.pathname}`);
    const confirm = await app.inject({
      method: 'POST',
      url: `${confirmUrl.pathname}${confirmUrl.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(confirm.statusCode).toBe(303);
    // a path: the shopper comes back to whichever address they opened the shop at
    expect(confirm.headers.location).toBe('/orders/ORDER000001?outTradeNo=ORDER000001&result=paid');

    expect(await done).toBe(true);
    expect(verifications).toHaveLength(1);
    expect(verifications[0]).toMatchObject({ ok: true, event: { kind: 'paid', amountFen: 16800 } });
    expect(orders.get('ORDER000001')?.status).toBe('paid');
    expect(await provider.queryPayment('ORDER000001')).toMatchObject({
      ok: true,
      status: 'paid',
      amountFen: 16800,
    });

    // Paying twice is refused by the page; the order is no longer payable.
    const second = await app.inject({
      method: 'POST',
      url: `${confirmUrl.pathname}${confirmUrl.search}`,
    });
    expect(second.statusCode).toBe(409);
  });

  it('even with a validly signed link, notifies only the shop and sends the shopper back only to it', async () => {
    const { provider, orders } = setup(Date.now);
    const app = Fastify();
    apps.push(app);
    const deliveredTo: string[] = [];
    await app.register(sandboxPayRoutes, {
      provider,
      lookupPayment: (no) => orders.get(no) ?? null,
      deliver: async (url) => {
        deliveredTo.push(url);
        return { status: 204 };
      },
      notifyUrl: 'http://shop.test/payments/sandbox/notify',
      returnOrigin: 'http://shop.test',
    });
    const link = async (notifyUrl: string, returnUrl: string) => {
      const created = await provider.createPayment({
        outTradeNo: 'ORDER000001',
        amountFen: 16800,
        description: 'd',
        payer: {},
        notifyUrl,
        returnUrl,
        scene: 'h5',
      });
      if (!created.ok || created.action.kind !== 'redirect') throw new Error('expected a redirect');
      const url = new URL(created.action.url);
      return `${url.pathname}/confirm${url.search}`;
    };
    // a notify URL of the caller's choosing (SSRF): refused before anything is sent
    const ssrf = await app.inject({
      method: 'POST',
      url: await link('http://169.254.169.254/latest/meta-data', '/orders/1'),
    });
    expect(ssrf.statusCode).toBe(400);
    expect(deliveredTo).toEqual([]);
    // a return URL on another site (open redirect): paid, but no way back to it
    for (const elsewhere of [
      'https://evil.example/phish',
      '//evil.example/phish',
      '/\\evil.example/phish',
      'javascript:alert(1)',
    ]) {
      const page = await app.inject({
        method: 'GET',
        url: (await link('http://shop.test/payments/sandbox/notify', elsewhere)).replace(
          '/confirm',
          '',
        ),
      });
      expect(page.statusCode, elsewhere).toBe(200);
      // the cancel link leads nowhere rather than off the site
      expect(/<a class="btn" href="([^"]*)"/.exec(page.body)?.[1], elsewhere).toBe('#');
    }
    const paid = await app.inject({
      method: 'POST',
      url: await link('http://shop.test/payments/sandbox/notify', 'https://evil.example/phish'),
    });
    expect(paid.statusCode).toBe(200);
    expect(paid.headers.location).toBeUndefined();
    expect(deliveredTo).toEqual(['http://shop.test/payments/sandbox/notify']);
  });

  it('refuses a tampered pay link (amount or notify URL changed)', async () => {
    const { provider, orders } = setup(Date.now);
    const app = Fastify();
    apps.push(app);
    await app.register(sandboxPayRoutes, {
      provider,
      lookupPayment: (no) => orders.get(no) ?? null,
    });
    const created = await provider.createPayment({
      outTradeNo: 'ORDER000001',
      amountFen: 16800,
      description: 'd',
      payer: {},
      notifyUrl: 'http://shop.test/n',
      returnUrl: '/r',
      scene: 'page',
    });
    if (!created.ok || created.action.kind !== 'redirect') throw new Error('expected a redirect');
    const url = new URL(created.action.url);
    url.searchParams.set('notify', 'http://169.254.169.254/latest');
    const res = await app.inject({ method: 'POST', url: `${url.pathname}/confirm${url.search}` });
    expect(res.statusCode).toBe(400);
    url.searchParams.set('amount', '1');
    expect(
      (await app.inject({ method: 'GET', url: `${url.pathname}${url.search}` })).statusCode,
    ).toBe(400);
  });
});
