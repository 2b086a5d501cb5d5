import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExpectLookup, ExpectedAmount, NotificationRef } from '../provider.ts';
import { FakeWechatPay } from '../testing/fake-wechatpay.ts';
import { rsaKeyPair } from '../testing/keys.ts';
import { WechatPayProvider } from './provider.ts';
import { signJsapiParams } from './signing.ts';
import { createVerify } from 'node:crypto';

const MCHID = '1900000109';
const APPID = 'wxd678efh567hg6787';
const MERCHANT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const PLATFORM_SERIAL = 'PUB_KEY_ID_0119000001092024080100000000000001';
const APIV3_KEY = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';

const merchant = rsaKeyPair();
const platform = rsaKeyPair();
const stranger = rsaKeyPair();

let fake: FakeWechatPay;
let provider: WechatPayProvider;
const expected = new Map<string, ExpectedAmount>();
const lookup: ExpectLookup = (ref: NotificationRef) => {
  const key =
    ref.kind === 'payment'
      ? `pay:${ref.outTradeNo}`
      : ref.kind === 'refund'
        ? `refund:${ref.outRefundNo}`
        : `bill:${ref.outBillNo}`;
  return expected.get(key) ?? null;
};

function makeProvider(
  overrides: { timeoutMs?: number; now?: () => number } = {},
): WechatPayProvider {
  return new WechatPayProvider({
    mchid: MCHID,
    appid: APPID,
    merchantSerialNo: MERCHANT_SERIAL,
    merchantPrivateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    apiV3Key: APIV3_KEY,
    platformPublicKeys: { [PLATFORM_SERIAL]: platform.publicKey },
    baseUrl: fake.baseUrl,
    timeoutMs: overrides.timeoutMs ?? 2_000,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
}

const order = {
  outTradeNo: 'FL20260101000001',
  amountFen: 16800,
  description: '返利商品 ×1',
  payer: { openid: 'o-buyer', clientIp: '203.0.113.9' },
  notifyUrl: 'https://shop.example.com/payments/wechatpay/notify',
  returnUrl: 'https://shop.example.com/orders/1',
  scene: 'jsapi' as const,
};

beforeAll(async () => {
  fake = await new FakeWechatPay({
    mchid: MCHID,
    appid: APPID,
    merchantSerialNo: MERCHANT_SERIAL,
    merchantPublicKey: merchant.publicKey,
    platformSerial: PLATFORM_SERIAL,
    platformPrivateKey: platform.privateKey,
    apiV3Key: APIV3_KEY,
  }).start();
  provider = makeProvider();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.responseSigner = null;
  fake.duplicateBillMode = 'return_existing';
});

describe('WeChat Pay order creation', () => {
  it('creates a JSAPI order with a signed request and returns verifiable pay-sign params', async () => {
    const result = await provider.createPayment(order);
    if (!result.ok || result.action.kind !== 'jsapi') throw new Error(JSON.stringify(result));
    const p = result.action.params;
    expect(p.package).toMatch(/^prepay_id=wx/);
    expect(p.appId).toBe(APPID);
    const valid = createVerify('RSA-SHA256')
      .update(`${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`)
      .verify(merchant.publicKey, p.paySign, 'base64');
    expect(valid).toBe(true);
    expect(signJsapiParams(merchant.privateKey, p.appId, p.timeStamp, p.nonceStr, p.package)).toBe(
      p.paySign,
    );
    expect(fake.authFailures).toBe(0);
    const sent = fake.http.requests.at(-1);
    expect(sent?.url).toBe('/v3/pay/transactions/jsapi');
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({
      mchid: MCHID,
      appid: APPID,
      amount: { total: 16800, currency: 'CNY' },
      payer: { openid: 'o-buyer' },
    });
    expect(sent?.headers['authorization']).toMatch(
      /^WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="[0-9a-f]{32}",signature="[^"]+",timestamp="\d+",serial_no="5157F09E/,
    );
  });

  it('creates H5 (redirect) and Native (QR) orders', async () => {
    const h5 = await provider.createPayment({
      ...order,
      outTradeNo: 'FL20260101000002',
      scene: 'h5',
    });
    expect(h5).toMatchObject({ ok: true, action: { kind: 'redirect' } });
    if (h5.ok && h5.action.kind === 'redirect')
      expect(h5.action.url).toContain('&redirect_url=https%3A%2F%2Fshop.example.com%2Forders%2F1');
    const native = await provider.createPayment({
      ...order,
      outTradeNo: 'FL20260101000003',
      scene: 'page',
    });
    expect(native).toMatchObject({
      ok: true,
      action: { kind: 'qrcode', codeUrl: expect.stringMatching(/^weixin:\/\//) },
    });
  });

  it('refuses bad input before sending anything', async () => {
    const before = fake.http.requests.length;
    expect(await provider.createPayment({ ...order, amountFen: 10.5 })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await provider.createPayment({ ...order, payer: {} })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(
      await provider.createPayment({ ...order, notifyUrl: 'http://x.example/n?a=1' }),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(fake.http.requests.length).toBe(before);
  });

  it('the fake gateway rejects a request signed with the wrong merchant key', async () => {
    const wrong = new WechatPayProvider({
      mchid: MCHID,
      appid: APPID,
      merchantSerialNo: MERCHANT_SERIAL,
      merchantPrivateKey: stranger.privateKey,
      apiV3Key: APIV3_KEY,
      platformPublicKeys: { [PLATFORM_SERIAL]: platform.publicKey },
      baseUrl: fake.baseUrl,
    });
    const result = await wrong.createPayment({ ...order, outTradeNo: 'FL20260101000009' });
    expect(result).toMatchObject({
      ok: false,
      code: 'PROVIDER_REJECTED',
      providerCode: 'SIGN_ERROR',
      httpStatus: 401,
    });
  });

  it('does not trust a response signed by an unknown key or serial', async () => {
    fake.responseSigner = { serial: PLATFORM_SERIAL, key: stranger.privateKey };
    expect(
      await provider.createPayment({ ...order, outTradeNo: 'FL20260101000010' }),
    ).toMatchObject({
      ok: false,
      code: 'PROVIDER_ERROR',
      retryable: true,
      providerCode: 'RESPONSE_SIGNATURE_INVALID',
    });
    fake.responseSigner = { serial: 'PUB_KEY_ID_UNKNOWN', key: platform.privateKey };
    expect(await provider.queryPayment('FL20260101000001')).toMatchObject({
      ok: false,
      providerCode: 'RESPONSE_SIGNATURE_INVALID',
    });
  });

  it('queries an order, and reports a missing one as PROVIDER_NOT_FOUND', async () => {
    expect(await provider.queryPayment('FL20260101000001')).toMatchObject({
      ok: true,
      status: 'pending',
      amountFen: 16800,
    });
    expect(await provider.queryPayment('FL2026NOPE0001')).toMatchObject({
      ok: false,
      code: 'PROVIDER_NOT_FOUND',
      providerCode: 'ORDER_NOT_EXIST',
    });
  });
});

describe('WeChat Pay notifications', () => {
  beforeAll(async () => {
    await provider.createPayment({ ...order, outTradeNo: 'FL20260101000100' });
  });
  beforeEach(() => {
    expected.clear();
    expected.set('pay:FL20260101000100', { amountFen: 16800 });
  });

  it('accepts a valid payment notification and acks 204 with no body', async () => {
    const n = fake.notification('TRANSACTION.SUCCESS', fake.paidResource('FL20260101000100'));
    const result = await provider.verifyNotification(
      { rawBody: Buffer.from(n.rawBody), headers: n.headers },
      lookup,
    );
    expect(result).toMatchObject({
      ok: true,
      event: {
        kind: 'paid',
        outTradeNo: 'FL20260101000100',
        amountFen: 16800,
        payerRef: 'o-buyer',
      },
      ack: { status: 204, body: '' },
    });
    expect(await provider.queryPayment('FL20260101000100')).toMatchObject({
      ok: true,
      status: 'paid',
    });
  });

  const cases: Array<
    [string, () => { rawBody: string; headers: Record<string, string> }, string, number]
  > = [
    [
      'a bad signature',
      () => {
        const n = fake.notification('TRANSACTION.SUCCESS', fake.paidResource('FL20260101000100'), {
          key: stranger.privateKey,
        });
        return n;
      },
      'NOTIFY_BAD_SIGNATURE',
      401,
    ],
    [
      'a stale timestamp',
      () =>
        fake.notification('TRANSACTION.SUCCESS', fake.paidResource('FL20260101000100'), {
          timestampSec: Math.floor(Date.now() / 1000) - 301,
        }),
      'NOTIFY_STALE_TIMESTAMP',
      401,
    ],
    [
      'a future timestamp',
      () =>
        fake.notification('TRANSACTION.SUCCESS', fake.paidResource('FL20260101000100'), {
          timestampSec: Math.floor(Date.now() / 1000) + 301,
        }),
      'NOTIFY_STALE_TIMESTAMP',
      401,
    ],
    [
      'an unknown serial',
      () =>
        fake.notification('TRANSACTION.SUCCESS', fake.paidResource('FL20260101000100'), {
          serial: 'PUB_KEY_ID_0119999999',
          key: stranger.privateKey,
        }),
      'NOTIFY_UNKNOWN_SERIAL',
      401,
    ],
    [
      'a re-serialized body',
      () => {
        const n = fake.notification('TRANSACTION.SUCCESS', fake.paidResource('FL20260101000100'));
        const parsed = JSON.parse(n.rawBody) as Record<string, unknown>;
        const reordered = Object.fromEntries(Object.entries(parsed).reverse());
        return { rawBody: JSON.stringify(reordered, null, 2), headers: n.headers };
      },
      'NOTIFY_BAD_SIGNATURE',
      401,
    ],
    [
      'a WECHATPAY/SIGNTEST/ probe',
      () => {
        const n = fake.notification('TRANSACTION.SUCCESS', fake.paidResource('FL20260101000100'));
        return {
          rawBody: n.rawBody,
          headers: { ...n.headers, 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/abcdefg' },
        };
      },
      'NOTIFY_SIGNATURE_PROBE',
      401,
    ],
    [
      'missing headers',
      () => {
        const n = fake.notification('TRANSACTION.SUCCESS', fake.paidResource('FL20260101000100'));
        const { 'Wechatpay-Nonce': _nonce, ...headers } = n.headers;
        return { rawBody: n.rawBody, headers };
      },
      'NOTIFY_MISSING_SIGNATURE',
      401,
    ],
    [
      'a resource encrypted with another APIv3 key',
      () =>
        fake.notification('TRANSACTION.SUCCESS', fake.paidResource('FL20260101000100'), {
          apiV3Key: 'ffffffffffffffffffffffffffffffff',
        }),
      'NOTIFY_DECRYPT_FAILED',
      400,
    ],
    [
      'a wrong amount',
      () =>
        fake.notification(
          'TRANSACTION.SUCCESS',
          fake.paidResource('FL20260101000100', { totalFen: 1 }),
        ),
      'NOTIFY_AMOUNT_MISMATCH',
      400,
    ],
    [
      'another merchant’s mchid',
      () =>
        fake.notification(
          'TRANSACTION.SUCCESS',
          fake.paidResource('FL20260101000100', { mchid: '1900000999' }),
        ),
      'NOTIFY_MERCHANT_MISMATCH',
      400,
    ],
    [
      'another appid',
      () =>
        fake.notification(
          'TRANSACTION.SUCCESS',
          fake.paidResource('FL20260101000100', { appid: 'wx0000000000000000' }),
        ),
      'NOTIFY_MERCHANT_MISMATCH',
      400,
    ],
  ];

  it.each(cases)('rejects %s', async (_label, make, code, status) => {
    const n = make();
    const result = await provider.verifyNotification(
      { rawBody: n.rawBody, headers: n.headers },
      lookup,
    );
    expect(result).toMatchObject({ ok: false, code, httpStatus: status, ack: { status } });
    if (!result.ok) expect(JSON.parse(result.ack.body)).toMatchObject({ code: 'FAIL' });
  });

  it('rejects a notification for an out_trade_no the caller does not know', async () => {
    expected.clear();
    const n = fake.notification('TRANSACTION.SUCCESS', fake.paidResource('FL20260101000100'));
    expect(await provider.verifyNotification(n, lookup)).toMatchObject({
      ok: false,
      code: 'NOTIFY_UNKNOWN_REFERENCE',
      httpStatus: 400,
    });
  });

  it('honours the clock it is given (a replay an hour later is stale)', async () => {
    const n = fake.notification('TRANSACTION.SUCCESS', fake.paidResource('FL20260101000100'));
    const later = makeProvider({ now: () => Date.now() + 60 * 60 * 1000 });
    expect(await later.verifyNotification(n, lookup)).toMatchObject({
      ok: false,
      code: 'NOTIFY_STALE_TIMESTAMP',
    });
  });

  it('verifies refund and transfer notifications against the caller’s amounts', async () => {
    expected.set('refund:RF20260102000001', { amountFen: 500 });
    const refund = fake.notification('REFUND.SUCCESS', {
      mchid: MCHID,
      out_trade_no: 'FL20260101000100',
      transaction_id: '4200000001',
      out_refund_no: 'RF20260102000001',
      refund_id: '50300000001',
      refund_status: 'SUCCESS',
      success_time: '2026-01-02T10:00:00+08:00',
      amount: { total: 16800, refund: 500, payer_total: 16800, payer_refund: 500 },
      user_received_account: '招商银行信用卡0403',
    });
    expect(await provider.verifyNotification(refund, lookup)).toMatchObject({
      ok: true,
      event: {
        kind: 'refunded',
        outRefundNo: 'RF20260102000001',
        refundFen: 500,
        status: 'succeeded',
      },
    });
    expected.set('refund:RF20260102000001', { amountFen: 400 });
    expect(await provider.verifyNotification(refund, lookup)).toMatchObject({
      ok: false,
      code: 'NOTIFY_AMOUNT_MISMATCH',
    });

    expected.set('bill:WD20260103000001', { amountFen: 3000 });
    const bill = fake.notification('MCHTRANSFER.BILL.FINISHED', {
      mch_id: MCHID,
      out_bill_no: 'WD20260103000001',
      transfer_bill_no: '1330000001',
      state: 'SUCCESS',
      transfer_amount: 3000,
      openid: 'o-buyer',
      create_time: '2026-01-03T10:00:00+08:00',
      update_time: '2026-01-03T10:01:00+08:00',
    });
    expect(await provider.verifyNotification(bill, lookup)).toMatchObject({
      ok: true,
      event: {
        kind: 'transfer',
        outBillNo: 'WD20260103000001',
        state: 'succeeded',
        amountFen: 3000,
      },
    });
  });
});

describe('WeChat Pay refunds and transfers: retries reuse the same out-number', () => {
  it('a refund whose answer timed out is retried with the same out_refund_no and refunds once', async () => {
    await provider.createPayment({ ...order, outTradeNo: 'FL20260101000200' });
    const quick = makeProvider({ timeoutMs: 300 });
    fake.http.injectFault({
      pathIncludes: '/v3/refund/domestic/refunds',
      mode: 'slow',
      delayMs: 1_000,
    });
    const input = {
      outTradeNo: 'FL20260101000200',
      outRefundNo: 'RF20260101000200',
      refundFen: 6800,
      totalFen: 16800,
      reason: '不想要了',
    };

    const first = await quick.refund(input);
    expect(first).toMatchObject({ ok: false, code: 'PROVIDER_TIMEOUT', retryable: true });
    const retry = await quick.refund(input);
    expect(retry).toMatchObject({
      ok: true,
      outRefundNo: 'RF20260101000200',
      refundFen: 6800,
      status: 'processing',
    });

    const refundCalls = fake.http.requests.filter((r) => r.url === '/v3/refund/domestic/refunds');
    expect(refundCalls.map((r) => JSON.parse(r.body).out_refund_no)).toEqual([
      'RF20260101000200',
      'RF20260101000200',
    ]);
    expect(
      [...fake.refunds.values()].filter((r) => r.outTradeNo === 'FL20260101000200'),
    ).toHaveLength(1);
  });

  it('a refund whose connection dropped is retryable too', async () => {
    fake.http.injectFault({ pathIncludes: '/v3/refund/domestic/refunds', mode: 'drop' });
    const input = {
      outTradeNo: 'FL20260101000200',
      outRefundNo: 'RF20260101000201',
      refundFen: 100,
      totalFen: 16800,
      reason: 'r',
    };
    expect(await provider.refund(input)).toMatchObject({
      ok: false,
      code: 'PROVIDER_ERROR',
      retryable: true,
    });
    expect(await provider.refund(input)).toMatchObject({
      ok: true,
      outRefundNo: 'RF20260101000201',
    });
    expect(fake.refunds.has('RF20260101000201')).toBe(true);
  });

  it('a transfer retried after a timeout reuses out_bill_no and yields one bill', async () => {
    const quick = makeProvider({ timeoutMs: 300 });
    fake.http.injectFault({ pathIncludes: '/transfer-bills', mode: 'slow', delayMs: 1_000 });
    const input = {
      outBillNo: 'WD20260103000100',
      payee: { openid: 'o-buyer' },
      amountFen: 3000,
      remark: '返利提现',
    };
    expect(await quick.transfer(input)).toMatchObject({
      ok: false,
      code: 'PROVIDER_TIMEOUT',
      retryable: true,
    });
    const retry = await quick.transfer(input);
    expect(retry).toMatchObject({
      ok: true,
      outBillNo: 'WD20260103000100',
      state: 'waiting_user_confirm',
      amountFen: 3000,
    });
    if (retry.ok) expect(retry.packageInfo).toBeTruthy();
    const bodies = fake.http.requests
      .filter((r) => r.url === '/v3/fund-app/mch-transfer/transfer-bills')
      .map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.out_bill_no)).toEqual(['WD20260103000100', 'WD20260103000100']);
    expect(bodies[0]).toMatchObject({
      appid: APPID,
      transfer_scene_id: '1000',
      transfer_amount: 3000,
      openid: 'o-buyer',
    });
    expect(fake.bills.size).toBe(1);
  });

  it('an ALREADY_EXISTS answer for the same out_bill_no reads the bill back; a different amount is a conflict', async () => {
    fake.duplicateBillMode = 'already_exists';
    const input = {
      outBillNo: 'WD20260103000100',
      payee: { openid: 'o-buyer' },
      amountFen: 3000,
      remark: '返利提现',
    };
    expect(await provider.transfer(input)).toMatchObject({
      ok: true,
      outBillNo: 'WD20260103000100',
      amountFen: 3000,
    });
    expect(await provider.transfer({ ...input, amountFen: 3001 })).toMatchObject({
      ok: false,
      code: 'PROVIDER_REJECTED',
      providerCode: 'OUT_BILL_NO_CONFLICT',
    });
    expect(await provider.queryTransfer('WD20260103000100')).toMatchObject({
      ok: true,
      state: 'waiting_user_confirm',
      amountFen: 3000,
    });
    expect(fake.bills.size).toBe(1);
  });

  it('encrypts the payee name to the platform key when given', async () => {
    const result = await provider.transfer({
      outBillNo: 'WD20260103000200',
      payee: { openid: 'o-buyer', realName: '张三' },
      amountFen: 250000,
      remark: '返利提现',
    });
    expect(result).toMatchObject({ ok: true });
    expect(fake.bills.get('WD20260103000200')?.userName).toBe('张三');
    expect(fake.http.requests.at(-1)?.headers['wechatpay-serial']).toBe(PLATFORM_SERIAL);
  });
});
