import { randomBytes, type KeyObject } from 'node:crypto';
import { formatFenAsYuan, parseYuanToFen } from '../money.ts';
import { signRsa2, signingContent, verifyRsa2 } from '../alipay/signing.ts';
import { FakeHttpServer, type FakeReply, type FakeRequest } from './http-fake.ts';

/**
 * A local stand-in for openapi.alipay.com/gateway.do: verifies our RSA2 request
 * signatures with the app public key, answers `{"<method>_response":{…},"sign":"…"}`
 * signed with the "Alipay" key (with spacing JSON.stringify would not produce, so only a
 * client that verifies the raw substring passes), is idempotent on out_request_no and
 * out_biz_no, and builds signed form-encoded notifications.
 */

export interface FakeAlipayKeys {
  appId: string;
  sellerId: string;
  appPublicKey: KeyObject;
  alipayPrivateKey: KeyObject;
}

interface FakeTrade {
  outTradeNo: string;
  tradeNo: string;
  totalFen: number;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  refundedFen: number;
}

type Node = Record<string, unknown>;

export class FakeAlipay {
  readonly http: FakeHttpServer;
  readonly trades = new Map<string, FakeTrade>();
  readonly refunds = new Map<string, { outTradeNo: string; refundFen: number }>();
  readonly transfers = new Map<string, { orderId: string; amountFen: number; identity: string }>();
  /** Sign answers with another key, or not at all, to test that our client refuses them. */
  responseKey: KeyObject | null = null;
  unsignedResponses = false;
  signFailures = 0;

  constructor(readonly keys: FakeAlipayKeys) {
    this.http = new FakeHttpServer((req) => this.handle(req));
  }

  async start(): Promise<this> {
    await this.http.start();
    return this;
  }

  get gatewayUrl(): string {
    return `${this.http.baseUrl}/gateway.do`;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** What the shopper's browser does with a page/wap pay URL: the gateway checks it and opens the trade. */
  openPayUrl(url: string): { ok: boolean; params: Record<string, string> } {
    const params = Object.fromEntries(new URL(url).searchParams);
    const ok = this.verifyRequest(params);
    if (ok) {
      const biz = JSON.parse(params['biz_content'] ?? '{}') as Node;
      const outTradeNo = String(biz['out_trade_no']);
      this.trades.set(outTradeNo, {
        outTradeNo,
        tradeNo: `2026${randomBytes(10).toString('hex')}`,
        totalFen: parseYuanToFen(String(biz['total_amount'])) ?? -1,
        status: 'WAIT_BUYER_PAY',
        refundedFen: 0,
      });
    }
    return { ok, params };
  }

  /** A signed notification body, form-encoded exactly as Alipay posts it. */
  notification(
    fields: Record<string, string>,
    opts: { signType?: string; key?: KeyObject } = {},
  ): { rawBody: string; headers: Record<string, string> } {
    const params: Record<string, string> = {
      notify_time: '2026-01-01 10:11:05',
      notify_type: 'trade_status_sync',
      notify_id: randomBytes(12).toString('hex'),
      app_id: this.keys.appId,
      seller_id: this.keys.sellerId,
      charset: 'utf-8',
      version: '1.0',
      ...fields,
    };
    params['sign'] = signRsa2(
      opts.key ?? this.keys.alipayPrivateKey,
      signingContent(params, ['sign', 'sign_type']),
    );
    params['sign_type'] = opts.signType ?? 'RSA2';
    return {
      rawBody: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    };
  }

  /** The fields of a TRADE_SUCCESS notification for a trade opened through openPayUrl. */
  paidFields(outTradeNo: string, overrides: Record<string, string> = {}): Record<string, string> {
    const trade = this.trades.get(outTradeNo);
    if (!trade) throw new Error(`fake: no trade ${outTradeNo}`);
    trade.status = 'TRADE_SUCCESS';
    return {
      trade_no: trade.tradeNo,
      out_trade_no: outTradeNo,
      buyer_id: '2088102177846880',
      trade_status: 'TRADE_SUCCESS',
      total_amount: formatFenAsYuan(trade.totalFen),
      receipt_amount: formatFenAsYuan(trade.totalFen),
      gmt_create: '2026-01-01 10:10:00',
      gmt_payment: '2026-01-01 10:11:00',
      subject: '返利商品 & 赠品',
      ...overrides,
    };
  }

  private verifyRequest(params: Record<string, string>): boolean {
    const ok =
      params['app_id'] === this.keys.appId &&
      params['sign_type'] === 'RSA2' &&
      verifyRsa2(this.keys.appPublicKey, signingContent(params, ['sign']), params['sign'] ?? '');
    if (!ok) this.signFailures += 1;
    return ok;
  }

  private answer(method: string, node: Node): FakeReply {
    // Spacing after commas: a client that re-serializes the node before verifying fails.
    const rawNode = JSON.stringify(node).replaceAll('","', '", "');
    const sign = signRsa2(this.responseKey ?? this.keys.alipayPrivateKey, rawNode);
    const name = `${method.replaceAll('.', '_')}_response`;
    const body = this.unsignedResponses
      ? `{"${name}":${rawNode}}`
      : `{"sign":"${sign}", "${name}":${rawNode},"alipay_cert_sn":"fake"}`;
    return { status: 200, body, headers: { 'content-type': 'text/html;charset=utf-8' } };
  }

  private businessError(method: string, subCode: string, subMsg: string): FakeReply {
    return this.answer(method, {
      code: '40004',
      msg: 'Business Failed',
      sub_code: subCode,
      sub_msg: subMsg,
    });
  }

  private handle(req: FakeRequest): FakeReply {
    const params = Object.fromEntries(new URLSearchParams(req.body));
    const method = params['method'] ?? '';
    if (!this.verifyRequest(params)) {
      return this.answer('error', {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-signature',
        sub_msg: '验签出错',
      });
    }
    const biz = JSON.parse(params['biz_content'] ?? '{}') as Node;
    switch (method) {
      case 'alipay.trade.query':
        return this.query(method, String(biz['out_trade_no']));
      case 'alipay.trade.refund':
        return this.refund(method, biz);
      case 'alipay.trade.fastpay.refund.query':
        return this.refundQuery(method, biz);
      case 'alipay.fund.trans.uni.transfer':
        return this.transfer(method, biz);
      case 'alipay.fund.trans.common.query':
        return this.transferQuery(method, String(biz['out_biz_no']));
      default:
        return this.answer(method, {
          code: '40004',
          msg: 'Business Failed',
          sub_code: 'isv.invalid-method',
          sub_msg: method,
        });
    }
  }

  private query(method: string, outTradeNo: string): FakeReply {
    const trade = this.trades.get(outTradeNo);
    if (!trade) return this.businessError(method, 'ACQ.TRADE_NOT_EXIST', '交易不存在');
    return this.answer(method, {
      code: '10000',
      msg: 'Success',
      trade_no: trade.tradeNo,
      out_trade_no: outTradeNo,
      trade_status: trade.status,
      total_amount: formatFenAsYuan(trade.totalFen),
      ...(trade.status === 'TRADE_SUCCESS' ? { send_pay_date: '2026-01-01 10:11:00' } : {}),
    });
  }

  private refund(method: string, biz: Node): FakeReply {
    const outTradeNo = String(biz['out_trade_no']);
    const trade = this.trades.get(outTradeNo);
    if (!trade) return this.businessError(method, 'ACQ.TRADE_NOT_EXIST', '交易不存在');
    const key = `${outTradeNo}/${String(biz['out_request_no'])}`;
    const refundFen = parseYuanToFen(String(biz['refund_amount'])) ?? -1;
    let fundChange = 'N';
    if (!this.refunds.has(key)) {
      if (trade.refundedFen + refundFen > trade.totalFen)
        return this.businessError(method, 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
      this.refunds.set(key, { outTradeNo, refundFen });
      trade.refundedFen += refundFen;
      fundChange = 'Y';
    }
    return this.answer(method, {
      code: '10000',
      msg: 'Success',
      trade_no: trade.tradeNo,
      out_trade_no: outTradeNo,
      buyer_logon_id: '159****5620',
      fund_change: fundChange,
      refund_fee: formatFenAsYuan(trade.refundedFen),
    });
  }

  private refundQuery(method: string, biz: Node): FakeReply {
    const key = `${String(biz['out_trade_no'])}/${String(biz['out_request_no'])}`;
    const refund = this.refunds.get(key);
    if (!refund)
      return this.answer(method, {
        code: '10000',
        msg: 'Success',
        out_trade_no: biz['out_trade_no'],
      });
    return this.answer(method, {
      code: '10000',
      msg: 'Success',
      out_trade_no: refund.outTradeNo,
      out_request_no: biz['out_request_no'],
      refund_amount: formatFenAsYuan(refund.refundFen),
      refund_status: 'REFUND_SUCCESS',
    });
  }

  private transfer(method: string, biz: Node): FakeReply {
    const outBizNo = String(biz['out_biz_no']);
    const amountFen = parseYuanToFen(String(biz['trans_amount'])) ?? -1;
    const payee = biz['payee_info'] as Node | undefined;
    let transfer = this.transfers.get(outBizNo);
    if (transfer && transfer.amountFen !== amountFen)
      return this.businessError(
        method,
        'PAYMENT_INFO_INCONSISTENCY',
        '两次请求商户单号一样，但是参数不一致',
      );
    if (!transfer) {
      transfer = {
        orderId: `2026${randomBytes(10).toString('hex')}`,
        amountFen,
        identity: String(payee?.['identity']),
      };
      this.transfers.set(outBizNo, transfer);
    }
    return this.answer(method, {
      code: '10000',
      msg: 'Success',
      out_biz_no: outBizNo,
      order_id: transfer.orderId,
      pay_fund_order_id: transfer.orderId,
      status: 'SUCCESS',
      trans_date: '2026-01-03 10:00:00',
    });
  }

  private transferQuery(method: string, outBizNo: string): FakeReply {
    const transfer = this.transfers.get(outBizNo);
    if (!transfer) return this.businessError(method, 'ORDER_NOT_EXIST', '转账订单不存在');
    return this.answer(method, {
      code: '10000',
      msg: 'Success',
      out_biz_no: outBizNo,
      order_id: transfer.orderId,
      status: 'SUCCESS',
      trans_amount: formatFenAsYuan(transfer.amountFen),
    });
  }
}
