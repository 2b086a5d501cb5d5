import { createVerify, privateDecrypt, constants, randomBytes, type KeyObject } from 'node:crypto';
import { encryptResource } from '../wechatpay/aead.ts';
import { signSha256Rsa } from '../wechatpay/signing.ts';
import { FakeHttpServer, type FakeReply, type FakeRequest } from './http-fake.ts';

/**
 * A local stand-in for api.mch.weixin.qq.com implementing the documented v3 protocol:
 * it verifies our Authorization signatures with the merchant public key, answers with
 * signed responses, deduplicates refunds by out_refund_no and bills by out_bill_no, and
 * produces signed, AES-GCM-encrypted notifications.
 */

export interface FakeWechatPayKeys {
  mchid: string;
  appid: string;
  merchantSerialNo: string;
  merchantPublicKey: KeyObject;
  platformSerial: string;
  platformPrivateKey: KeyObject;
  apiV3Key: string;
}

interface FakeOrder {
  appid: string;
  outTradeNo: string;
  totalFen: number;
  state: 'NOTPAY' | 'SUCCESS';
  transactionId: string;
}

interface FakeRefund {
  outTradeNo: string;
  outRefundNo: string;
  refundId: string;
  refundFen: number;
  totalFen: number;
}

interface FakeBill {
  outBillNo: string;
  billNo: string;
  amountFen: number;
  openid: string;
  userName?: string;
}

export class FakeWechatPay {
  readonly http: FakeHttpServer;
  readonly orders = new Map<string, FakeOrder>();
  readonly refunds = new Map<string, FakeRefund>();
  readonly bills = new Map<string, FakeBill>();
  /** How a repeated out_bill_no is answered: with the bill, or with an ALREADY_EXISTS error. */
  duplicateBillMode: 'return_existing' | 'already_exists' = 'return_existing';
  /** Sign responses with another key / serial, to test that our client refuses them. */
  responseSigner: { serial: string; key: KeyObject } | null = null;
  authFailures = 0;

  constructor(readonly keys: FakeWechatPayKeys) {
    this.http = new FakeHttpServer((req) => this.handle(req));
  }

  async start(): Promise<this> {
    await this.http.start();
    return this;
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** Signs an arbitrary body as WeChat Pay would (headers in the case WeChat sends them). */
  signedHeaders(
    body: string,
    opts: { timestampSec?: number; serial?: string; key?: KeyObject } = {},
  ): Record<string, string> {
    const timestamp = String(opts.timestampSec ?? Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    const key = opts.key ?? this.responseSigner?.key ?? this.keys.platformPrivateKey;
    return {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': opts.serial ?? this.responseSigner?.serial ?? this.keys.platformSerial,
      'Wechatpay-Signature': signSha256Rsa(key, `${timestamp}\n${nonce}\n${body}\n`),
      'Request-ID': randomBytes(8).toString('hex'),
    };
  }

  /** A complete notification: encrypted resource in a JSON envelope, signed over the exact bytes. */
  notification(
    eventType: string,
    resource: Record<string, unknown>,
    opts: { timestampSec?: number; serial?: string; key?: KeyObject; apiV3Key?: string } = {},
  ): { rawBody: string; headers: Record<string, string> } {
    const nonce = randomBytes(6).toString('hex'); // 12 characters, used as the GCM IV
    const associatedData = eventType.startsWith('REFUND.') ? 'refund' : 'transaction';
    const envelope = {
      id: `EV-${randomBytes(8).toString('hex')}`,
      create_time: new Date().toISOString(),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary: '通知',
      resource: {
        original_type: associatedData,
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: encryptResource(
          opts.apiV3Key ?? this.keys.apiV3Key,
          JSON.stringify(resource),
          nonce,
          associatedData,
        ),
        associated_data: associatedData,
        nonce,
      },
    };
    const rawBody = JSON.stringify(envelope);
    return {
      rawBody,
      headers: { 'Content-Type': 'application/json', ...this.signedHeaders(rawBody, opts) },
    };
  }

  /** The TRANSACTION.SUCCESS resource WeChat Pay would send for a paid order. */
  paidResource(
    outTradeNo: string,
    overrides: { totalFen?: number; mchid?: string; appid?: string } = {},
  ): Record<string, unknown> {
    const order = this.orders.get(outTradeNo);
    if (!order) throw new Error(`fake: no order ${outTradeNo}`);
    order.state = 'SUCCESS';
    return {
      mchid: overrides.mchid ?? this.keys.mchid,
      appid: overrides.appid ?? order.appid,
      out_trade_no: outTradeNo,
      transaction_id: order.transactionId,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      success_time: '2026-01-01T10:11:00+08:00',
      payer: { openid: 'o-buyer' },
      amount: {
        total: overrides.totalFen ?? order.totalFen,
        payer_total: order.totalFen,
        currency: 'CNY',
        payer_currency: 'CNY',
      },
    };
  }

  decryptUserName(ciphertext: string): string {
    return privateDecrypt(
      {
        key: this.keys.platformPrivateKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha1',
      },
      Buffer.from(ciphertext, 'base64'),
    ).toString('utf8');
  }

  private reply(status: number, data: unknown): FakeReply {
    const body = data === undefined ? '' : JSON.stringify(data);
    return { status, body, headers: this.signedHeaders(body) };
  }

  private verifyAuthorization(req: FakeRequest): boolean {
    const header = req.headers['authorization'];
    if (typeof header !== 'string' || !header.startsWith('WECHATPAY2-SHA256-RSA2048 '))
      return false;
    const params = Object.fromEntries(
      [...header.slice('WECHATPAY2-SHA256-RSA2048 '.length).matchAll(/(\w+)="([^"]*)"/g)].map(
        (m) => [m[1], m[2]],
      ),
    );
    if (params['mchid'] !== this.keys.mchid || params['serial_no'] !== this.keys.merchantSerialNo)
      return false;
    const timestamp = params['timestamp'] ?? '';
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
    const message = `${req.method}\n${req.url}\n${timestamp}\n${params['nonce_str'] ?? ''}\n${req.body}\n`;
    return createVerify('RSA-SHA256')
      .update(message)
      .verify(this.keys.merchantPublicKey, params['signature'] ?? '', 'base64');
  }

  private handle(req: FakeRequest): FakeReply {
    if (!this.verifyAuthorization(req)) {
      this.authFailures += 1;
      return this.reply(401, { code: 'SIGN_ERROR', message: '签名错误' });
    }
    const body = (req.body ? JSON.parse(req.body) : {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const path = req.url.split('?')[0] ?? '';
    const orderMatch = /^\/v3\/pay\/transactions\/(jsapi|h5|native)$/.exec(path);
    if (req.method === 'POST' && orderMatch) return this.createOrder(orderMatch[1] ?? '', body);
    const queryMatch = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && queryMatch)
      return this.queryOrder(decodeURIComponent(queryMatch[1] ?? ''));
    if (req.method === 'POST' && path === '/v3/refund/domestic/refunds') return this.refund(body);
    if (req.method === 'POST' && path === '/v3/fund-app/mch-transfer/transfer-bills')
      return this.transfer(body);
    const billMatch = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)$/.exec(
      path,
    );
    if (req.method === 'GET' && billMatch)
      return this.queryBill(decodeURIComponent(billMatch[1] ?? ''));
    return this.reply(404, { code: 'NOT_FOUND', message: 'no such API' });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private createOrder(kind: string, body: Record<string, any>): FakeReply {
    if (body['mchid'] !== this.keys.mchid || body['appid'] !== this.keys.appid) {
      return this.reply(400, { code: 'APPID_MCHID_NOT_MATCH', message: 'appid和mch_id不匹配' });
    }
    const outTradeNo = String(body['out_trade_no']);
    const existing = this.orders.get(outTradeNo);
    if (existing?.state === 'SUCCESS')
      return this.reply(400, { code: 'ORDER_PAID', message: '订单已支付' });
    this.orders.set(outTradeNo, {
      appid: String(body['appid']),
      outTradeNo,
      totalFen: Number(body['amount']?.total),
      state: 'NOTPAY',
      transactionId: existing?.transactionId ?? `4200${randomBytes(10).toString('hex')}`,
    });
    const prepayId = `wx${randomBytes(12).toString('hex')}`;
    if (kind === 'jsapi') return this.reply(200, { prepay_id: prepayId });
    if (kind === 'h5')
      return this.reply(200, {
        h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${prepayId}&package=1`,
      });
    return this.reply(200, { code_url: `weixin://wxpay/bizpayurl?pr=${prepayId.slice(0, 8)}` });
  }

  private queryOrder(outTradeNo: string): FakeReply {
    const order = this.orders.get(outTradeNo);
    if (!order) return this.reply(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    return this.reply(200, {
      appid: order.appid,
      mchid: this.keys.mchid,
      out_trade_no: outTradeNo,
      trade_state: order.state,
      ...(order.state === 'SUCCESS'
        ? { transaction_id: order.transactionId, success_time: '2026-01-01T10:11:00+08:00' }
        : {}),
      amount: { total: order.totalFen, currency: 'CNY' },
    });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private refund(body: Record<string, any>): FakeReply {
    const outRefundNo = String(body['out_refund_no']);
    const refundFen = Number(body['amount']?.refund);
    let refund = this.refunds.get(outRefundNo);
    if (refund && refund.refundFen !== refundFen) {
      return this.reply(400, { code: 'INVALID_REQUEST', message: '同一退款单号参数不一致' });
    }
    if (!refund) {
      refund = {
        outTradeNo: String(body['out_trade_no']),
        outRefundNo,
        refundId: `5030${randomBytes(10).toString('hex')}`,
        refundFen,
        totalFen: Number(body['amount']?.total),
      };
      this.refunds.set(outRefundNo, refund);
    }
    return this.reply(200, {
      refund_id: refund.refundId,
      out_refund_no: outRefundNo,
      out_trade_no: refund.outTradeNo,
      channel: 'ORIGINAL',
      status: 'PROCESSING',
      create_time: '2026-01-02T10:00:00+08:00',
      amount: {
        total: refund.totalFen,
        refund: refund.refundFen,
        payer_total: refund.totalFen,
        payer_refund: refund.refundFen,
        currency: 'CNY',
      },
    });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private transfer(body: Record<string, any>): FakeReply {
    if (body['appid'] !== this.keys.appid)
      return this.reply(400, { code: 'PARAM_ERROR', message: 'appid' });
    const outBillNo = String(body['out_bill_no']);
    const existing = this.bills.get(outBillNo);
    if (existing) {
      if (this.duplicateBillMode === 'already_exists')
        return this.reply(400, { code: 'ALREADY_EXISTS', message: '商户单号已存在' });
      return this.billReply(existing);
    }
    const bill: FakeBill = {
      outBillNo,
      billNo: `1330${randomBytes(10).toString('hex')}`,
      amountFen: Number(body['transfer_amount']),
      openid: String(body['openid']),
      ...(typeof body['user_name'] === 'string'
        ? { userName: this.decryptUserName(body['user_name']) }
        : {}),
    };
    this.bills.set(outBillNo, bill);
    return this.billReply(bill);
  }

  private billReply(bill: FakeBill): FakeReply {
    return this.reply(200, {
      out_bill_no: bill.outBillNo,
      transfer_bill_no: bill.billNo,
      create_time: '2026-01-03T10:00:00+08:00',
      state: 'WAIT_USER_CONFIRM',
      package_info: `affffddafdfafddffda==${bill.billNo.slice(-4)}`,
    });
  }

  private queryBill(outBillNo: string): FakeReply {
    const bill = this.bills.get(outBillNo);
    if (!bill) return this.reply(404, { code: 'NOT_FOUND', message: '记录不存在' });
    return this.reply(200, {
      mch_id: this.keys.mchid,
      out_bill_no: bill.outBillNo,
      transfer_bill_no: bill.billNo,
      appid: this.keys.appid,
      state: 'WAIT_USER_CONFIRM',
      transfer_amount: bill.amountFen,
      transfer_remark: '返利提现',
      openid: bill.openid,
      create_time: '2026-01-03T10:00:00+08:00',
      update_time: '2026-01-03T10:00:00+08:00',
    });
  }
}
