import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExpectLookup, ExpectedAmount } from '../provider.ts';
import { FakeAlipay } from '../testing/fake-alipay.ts';
import { rsaKeyPair } from '../testing/keys.ts';
import { AlipayProvider } from './provider.ts';
import { topLevelRawMembers } from './raw-json.ts';
import { signingContent } from './signing.ts';

const APP_ID = '2021000000000001';
const SELLER_ID = '2088101122136241';
const app = rsaKeyPair();
const alipay = rsaKeyPair();
const stranger = rsaKeyPair();

let fake: FakeAlipay;
let provider: AlipayProvider;
const expected = new Map<string, ExpectedAmount>();
const lookup: ExpectLookup = (ref) =>
  ref.kind === 'payment' ? (expected.get(ref.outTradeNo) ?? null) : null;

function makeProvider(timeoutMs = 2_000): AlipayProvider {
  return new AlipayProvider({
    appId: APP_ID,
    appPrivateKey: app.privateKey,
    alipayPublicKey: alipay.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sellerId: SELLER_ID,
    gatewayUrl: fake.gatewayUrl,
    timeoutMs,
  });
}

const order = {
  outTradeNo: 'AL20260101000001',
  amountFen: 8808,
  description: '返利商品',
  payer: {},
  notifyUrl: 'https://shop.example.com/payments/alipay/notify',
  returnUrl: 'https://shop.example.com/orders/1',
  scene: 'h5' as const,
};

async function openTrade(
  outTradeNo: string,
  amountFen: number,
  scene: 'h5' | 'page' = 'h5',
): Promise<string> {
  const created = await provider.createPayment({ ...order, outTradeNo, amountFen, scene });
  if (!created.ok || created.action.kind !== 'redirect') throw new Error(JSON.stringify(created));
  const opened = fake.openPayUrl(created.action.url);
  if (!opened.ok) throw new Error('gateway refused the pay URL');
  return created.action.url;
}

beforeAll(async () => {
  fake = await new FakeAlipay({
    appId: APP_ID,
    sellerId: SELLER_ID,
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
  }).start();
  provider = makeProvider();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.responseKey = null;
  fake.unsignedResponses = false;
});

describe('Alipay signing helpers', () => {
  it('builds the signing string sorted, unencoded, without sign / empty values', () => {
    expect(
      signingContent({ b: '2', a: '1 & 1', sign: 'x', sign_type: 'RSA2', c: '' }, ['sign']),
    ).toBe('a=1 & 1&b=2&sign_type=RSA2');
    expect(
      signingContent({ b: '2', a: '1', sign: 'x', sign_type: 'RSA2' }, ['sign', 'sign_type']),
    ).toBe('a=1&b=2');
  });

  it('finds the raw text of top-level members', () => {
    const members = topLevelRawMembers(
      '{ "sign":"a\\"b" ,"x_response" : {"k": "v, }", "n":[1,{"z":2}]},"n":12}',
    );
    expect(members?.get('x_response')).toBe('{"k": "v, }", "n":[1,{"z":2}]}');
    expect(members?.get('sign')).toBe('"a\\"b"');
    expect(members?.get('n')).toBe('12');
    expect(topLevelRawMembers('[1]')).toBeNull();
    expect(topLevelRawMembers('{"a":')).toBeNull();
  });
});

describe('Alipay payments', () => {
  it('builds signed wap.pay and page.pay URLs the gateway accepts', async () => {
    const wapUrl = await openTrade('AL20260101000001', 8808, 'h5');
    const wap = Object.fromEntries(new URL(wapUrl).searchParams);
    expect(wap['method']).toBe('alipay.trade.wap.pay');
    expect(JSON.parse(wap['biz_content'] ?? '')).toMatchObject({
      total_amount: '88.08',
      product_code: 'QUICK_WAP_WAY',
    });
    expect(wap).toMatchObject({
      sign_type: 'RSA2',
      charset: 'utf-8',
      notify_url: order.notifyUrl,
      return_url: order.returnUrl,
    });
    const pageUrl = await openTrade('AL20260101000002', 29, 'page');
    expect(JSON.parse(new URL(pageUrl).searchParams.get('biz_content') ?? '')).toMatchObject({
      total_amount: '0.29',
      product_code: 'FAST_INSTANT_TRADE_PAY',
    });
    expect(await provider.createPayment({ ...order, scene: 'jsapi' })).toMatchObject({
      ok: false,
      code: 'UNSUPPORTED_SCENE',
    });
    expect(fake.signFailures).toBe(0);
  });

  it('queries a trade through a verified response', async () => {
    expect(await provider.queryPayment('AL20260101000001')).toMatchObject({
      ok: true,
      status: 'pending',
      amountFen: 8808,
    });
    expect(await provider.queryPayment('AL2026NOTHERE1')).toMatchObject({
      ok: false,
      code: 'PROVIDER_NOT_FOUND',
      providerCode: 'ACQ.TRADE_NOT_EXIST',
    });
  });

  it('refuses responses signed by another key or not signed at all', async () => {
    fake.responseKey = stranger.privateKey;
    expect(await provider.queryPayment('AL20260101000001')).toMatchObject({
      ok: false,
      code: 'PROVIDER_ERROR',
      providerCode: 'RESPONSE_SIGNATURE_INVALID',
    });
    fake.responseKey = null;
    fake.unsignedResponses = true;
    expect(await provider.queryPayment('AL20260101000001')).toMatchObject({
      ok: false,
      providerCode: 'RESPONSE_SIGNATURE_INVALID',
    });
  });

  it('a request signed with the wrong app key is refused by the gateway', async () => {
    const wrong = new AlipayProvider({
      appId: APP_ID,
      appPrivateKey: stranger.privateKey,
      alipayPublicKey: alipay.publicKey,
      gatewayUrl: fake.gatewayUrl,
    });
    expect(await wrong.queryPayment('AL20260101000001')).toMatchObject({
      ok: false,
      code: 'PROVIDER_REJECTED',
      providerCode: 'isv.invalid-signature',
    });
  });
});

describe('Alipay notifications', () => {
  beforeAll(async () => {
    await openTrade('AL20260101000100', 8808);
  });
  beforeEach(() => {
    expected.clear();
    expected.set('AL20260101000100', { amountFen: 8808 });
  });

  it('accepts a valid TRADE_SUCCESS and acks with the literal "success"', async () => {
    const n = fake.notification(fake.paidFields('AL20260101000100'));
    const result = await provider.verifyNotification(
      { rawBody: Buffer.from(n.rawBody), headers: n.headers },
      lookup,
    );
    expect(result).toMatchObject({
      ok: true,
      event: {
        kind: 'paid',
        outTradeNo: 'AL20260101000100',
        amountFen: 8808,
        payerRef: '2088102177846880',
      },
      ack: { status: 200, body: 'success' },
    });
    if (result.ok && result.event.kind === 'paid')
      expect(result.event.paidAt?.toISOString()).toBe('2026-01-01T02:11:00.000Z');
  });

  it('treats only TRADE_SUCCESS / TRADE_FINISHED as paid', async () => {
    const finished = fake.notification(
      fake.paidFields('AL20260101000100', { trade_status: 'TRADE_FINISHED' }),
    );
    expect(await provider.verifyNotification(finished, lookup)).toMatchObject({
      ok: true,
      event: { kind: 'paid' },
    });
    for (const status of ['WAIT_BUYER_PAY', 'TRADE_CLOSED']) {
      const n = fake.notification(fake.paidFields('AL20260101000100', { trade_status: status }));
      expect(await provider.verifyNotification(n, lookup)).toMatchObject({
        ok: true,
        event: { kind: 'ignored', providerStatus: status },
        ack: { body: 'success' },
      });
    }
  });

  it('reads a partial refund (still TRADE_SUCCESS) as a refund, not a second payment', async () => {
    const n = fake.notification(
      fake.paidFields('AL20260101000100', {
        refund_fee: '8.08',
        gmt_refund: '2026-01-02 10:00:00.123',
        out_biz_no: 'RF20260102000001',
      }),
    );
    expect(await provider.verifyNotification(n, lookup)).toMatchObject({
      ok: true,
      event: {
        kind: 'refunded',
        outRefundNo: 'RF20260102000001',
        totalRefundedFen: 808,
        refundFen: null,
      },
    });
  });

  const cases: Array<
    [string, () => { rawBody: string; headers: Record<string, string> }, string, number]
  > = [
    [
      'sign_type RSA',
      () => fake.notification(fake.paidFields('AL20260101000100'), { signType: 'RSA' }),
      'NOTIFY_UNSUPPORTED_SIGN_TYPE',
      400,
    ],
    [
      'a bad signature',
      () => fake.notification(fake.paidFields('AL20260101000100'), { key: stranger.privateKey }),
      'NOTIFY_BAD_SIGNATURE',
      401,
    ],
    [
      'a tampered amount',
      () => {
        const n = fake.notification(fake.paidFields('AL20260101000100'));
        return { ...n, rawBody: n.rawBody.replace('total_amount=88.08', 'total_amount=0.01') };
      },
      'NOTIFY_BAD_SIGNATURE',
      401,
    ],
    [
      'a correctly signed wrong amount',
      () => fake.notification(fake.paidFields('AL20260101000100', { total_amount: '88.07' })),
      'NOTIFY_AMOUNT_MISMATCH',
      400,
    ],
    [
      'an amount with 3 decimals',
      () => fake.notification(fake.paidFields('AL20260101000100', { total_amount: '88.080' })),
      'NOTIFY_MALFORMED',
      400,
    ],
    [
      'another app_id',
      () => fake.notification(fake.paidFields('AL20260101000100', { app_id: '2021999999999999' })),
      'NOTIFY_MERCHANT_MISMATCH',
      400,
    ],
    [
      'another seller_id',
      () =>
        fake.notification(fake.paidFields('AL20260101000100', { seller_id: '2088000000000000' })),
      'NOTIFY_MERCHANT_MISMATCH',
      400,
    ],
    [
      'a missing signature',
      () => {
        const n = fake.notification(fake.paidFields('AL20260101000100'));
        const form = new URLSearchParams(n.rawBody);
        form.delete('sign');
        return { ...n, rawBody: form.toString() };
      },
      'NOTIFY_MISSING_SIGNATURE',
      401,
    ],
    [
      'a repeated parameter',
      () => {
        const n = fake.notification(fake.paidFields('AL20260101000100'));
        return { ...n, rawBody: `${n.rawBody}&total_amount=0.01` };
      },
      'NOTIFY_MALFORMED',
      400,
    ],
  ];

  it.each(cases)('rejects %s', async (_label, make, code, status) => {
    const n = make();
    expect(await provider.verifyNotification(n, lookup)).toMatchObject({
      ok: false,
      code,
      httpStatus: status,
      ack: { body: 'fail' },
    });
  });

  it('rejects an out_trade_no the caller does not know', async () => {
    expected.clear();
    const n = fake.notification(fake.paidFields('AL20260101000100'));
    expect(await provider.verifyNotification(n, lookup)).toMatchObject({
      ok: false,
      code: 'NOTIFY_UNKNOWN_REFERENCE',
    });
  });
});

describe('Alipay refunds and transfers', () => {
  it('a refund retried after a timeout keeps out_request_no and refunds once', async () => {
    await openTrade('AL20260101000200', 10000);
    fake.paidFields('AL20260101000200');
    const quick = makeProvider(300);
    fake.http.injectFault({ pathIncludes: '/gateway.do', mode: 'slow', delayMs: 1_000 });
    const input = {
      outTradeNo: 'AL20260101000200',
      outRefundNo: 'RF20260101000200',
      refundFen: 2550,
      totalFen: 10000,
      reason: '退货',
    };
    expect(await quick.refund(input)).toMatchObject({
      ok: false,
      code: 'PROVIDER_TIMEOUT',
      retryable: true,
    });
    // fund_change=N on the retry; the refund query confirms the first call's refund.
    expect(await quick.refund(input)).toMatchObject({
      ok: true,
      outRefundNo: 'RF20260101000200',
      status: 'succeeded',
      refundFen: 2550,
    });
    const refundCalls = fake.http.requests
      .map((r) => Object.fromEntries(new URLSearchParams(r.body)))
      .filter((p) => p['method'] === 'alipay.trade.refund')
      .map((p) => JSON.parse(p['biz_content'] ?? '{}') as Record<string, unknown>)
      .filter((b) => b['out_trade_no'] === 'AL20260101000200');
    expect(refundCalls.map((b) => [b['out_request_no'], b['refund_amount']])).toEqual([
      ['RF20260101000200', '25.50'],
      ['RF20260101000200', '25.50'],
    ]);
    expect(fake.trades.get('AL20260101000200')?.refundedFen).toBe(2550);
  });

  it('a transfer retried after a dropped connection reuses out_biz_no; a changed amount is a conflict', async () => {
    fake.http.injectFault({ pathIncludes: '/gateway.do', mode: 'drop' });
    const input = {
      outBillNo: 'WD20260103000001',
      payee: { account: '2088102177846880' },
      amountFen: 1234,
      remark: '返利提现',
    };
    expect(await provider.transfer(input)).toMatchObject({
      ok: false,
      code: 'PROVIDER_ERROR',
      retryable: true,
    });
    const retry = await provider.transfer(input);
    expect(retry).toMatchObject({
      ok: true,
      outBillNo: 'WD20260103000001',
      state: 'succeeded',
      amountFen: 1234,
    });
    expect(fake.transfers.size).toBe(1);
    expect(fake.transfers.get('WD20260103000001')?.identity).toBe('2088102177846880');
    expect(await provider.transfer({ ...input, amountFen: 1235 })).toMatchObject({
      ok: false,
      code: 'PROVIDER_REJECTED',
      providerCode: 'OUT_BILL_NO_CONFLICT',
    });
    expect(await provider.queryTransfer('WD20260103000001')).toMatchObject({
      ok: true,
      state: 'succeeded',
      amountFen: 1234,
    });
    expect(
      await provider.transfer({
        ...input,
        outBillNo: 'WD20260103000002',
        payee: { account: 'someone@example.com' },
      }),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
  });
});
