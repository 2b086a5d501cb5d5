import { constants, publicEncrypt } from 'node:crypto';
import {
  asRecord,
  failure,
  formatRfc3339Beijing,
  isValidOutNo,
  makeNonce,
  parseDate,
  readFen,
  readString,
} from '../common.ts';
import { isPositiveFen } from '../money.ts';
import type {
  CreatePaymentInput,
  ExpectLookup,
  NotificationVerification,
  PaymentAction,
  PaymentProvider,
  PaymentQuery,
  ProviderResult,
  RefundInput,
  RefundOutcome,
  TransferInput,
  TransferOutcome,
  VerifyNotificationInput,
} from '../provider.ts';
import { WechatPayClient } from './client.ts';
import {
  DEFAULT_TRANSFER_REPORT_INFOS,
  DEFAULT_TRANSFER_SCENE_ID,
  type WechatPayConfig,
} from './config.ts';
import { verifyWechatNotification } from './notification.ts';
import { signJsapiParams } from './signing.ts';
import { mapRefundStatus, mapTradeState, mapTransferState } from './states.ts';

const ORDER_PATHS = {
  jsapi: '/v3/pay/transactions/jsapi',
  h5: '/v3/pay/transactions/h5',
  // Desktop: WeChat Pay has no redirect page, so "page" is a Native QR code to scan.
  page: '/v3/pay/transactions/native',
} as const;

/** Codes with which the API may answer a repeated out_bill_no; the bill is then read back. */
const BILL_EXISTS_CODES = new Set(['ALREADY_EXISTS', 'RESOURCE_ALREADY_EXISTS']);

/** WeChat Pay API v3, direct merchant (直连商户) mode. */
export class WechatPayProvider implements PaymentProvider {
  readonly name = 'wechatpay' as const;
  private readonly client: WechatPayClient;

  constructor(private readonly config: WechatPayConfig) {
    this.client = new WechatPayClient(config);
  }

  async createPayment(
    input: CreatePaymentInput,
  ): Promise<ProviderResult<{ action: PaymentAction }>> {
    const invalid = validateOrder(input);
    if (invalid) return failure('INVALID_INPUT', invalid);
    const body: Record<string, unknown> = {
      appid: this.config.appid,
      mchid: this.config.mchid,
      description: [...input.description].slice(0, 127).join(''),
      out_trade_no: input.outTradeNo,
      notify_url: input.notifyUrl,
      amount: { total: input.amountFen, currency: 'CNY' },
    };
    if (input.expiresAt) body['time_expire'] = formatRfc3339Beijing(input.expiresAt);
    if (input.scene === 'jsapi') body['payer'] = { openid: input.payer.openid };
    if (input.scene === 'h5')
      body['scene_info'] = { payer_client_ip: input.payer.clientIp, h5_info: { type: 'Wap' } };

    const res = await this.client.call('POST', ORDER_PATHS[input.scene], body);
    if (!res.ok) return res;
    if (input.scene === 'jsapi') {
      const prepayId = readString(res.data, 'prepay_id');
      if (!prepayId) return failure('PROVIDER_ERROR', 'no prepay_id in the answer');
      const timeStamp = String(Math.floor(this.client.now() / 1000));
      const nonceStr = makeNonce();
      const pkg = `prepay_id=${prepayId}`;
      return {
        ok: true,
        action: {
          kind: 'jsapi',
          params: {
            appId: this.config.appid,
            timeStamp,
            nonceStr,
            package: pkg,
            signType: 'RSA',
            paySign: signJsapiParams(
              this.client.privateKey,
              this.config.appid,
              timeStamp,
              nonceStr,
              pkg,
            ),
          },
        },
      };
    }
    if (input.scene === 'h5') {
      const h5Url = readString(res.data, 'h5_url');
      if (!h5Url) return failure('PROVIDER_ERROR', 'no h5_url in the answer');
      // redirect_url brings the shopper back after paying; it must be on the registered H5 domain.
      return {
        ok: true,
        action: {
          kind: 'redirect',
          url: `${h5Url}&redirect_url=${encodeURIComponent(input.returnUrl)}`,
        },
      };
    }
    const codeUrl = readString(res.data, 'code_url');
    if (!codeUrl) return failure('PROVIDER_ERROR', 'no code_url in the answer');
    return { ok: true, action: { kind: 'qrcode', codeUrl } };
  }

  verifyNotification(
    input: VerifyNotificationInput,
    expect: ExpectLookup,
  ): Promise<NotificationVerification> {
    return verifyWechatNotification(
      {
        mchid: this.config.mchid,
        appid: this.config.appid,
        apiV3Key: this.config.apiV3Key,
        keys: this.client.keys,
        nowMs: this.client.now(),
      },
      input,
      expect,
    );
  }

  async queryPayment(outTradeNo: string): Promise<ProviderResult<PaymentQuery>> {
    if (!isValidOutNo(outTradeNo)) return failure('INVALID_INPUT', 'invalid outTradeNo');
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(this.config.mchid)}`;
    const res = await this.client.call('GET', path);
    if (!res.ok) return res;
    const d = res.data;
    if (
      readString(d, 'out_trade_no') !== outTradeNo ||
      readString(d, 'mchid') !== this.config.mchid
    ) {
      return failure('PROVIDER_ERROR', 'answer is about another trade or merchant');
    }
    const state = readString(d, 'trade_state') ?? '';
    return {
      ok: true,
      outTradeNo,
      providerTradeNo: readString(d, 'transaction_id') ?? null,
      status: mapTradeState(state),
      amountFen: readFen(asRecord(d['amount']), 'total') ?? 0,
      paidAt: parseDate(d['success_time']),
      providerStatus: state,
    };
  }

  async refund(input: RefundInput): Promise<ProviderResult<RefundOutcome>> {
    if (!isValidOutNo(input.outTradeNo) || !isValidOutNo(input.outRefundNo)) {
      return failure(
        'INVALID_INPUT',
        'outTradeNo / outRefundNo must be 6–32 chars of [0-9A-Za-z_-]',
      );
    }
    if (
      !isPositiveFen(input.refundFen) ||
      !isPositiveFen(input.totalFen) ||
      input.refundFen > input.totalFen
    ) {
      return failure('INVALID_INPUT', 'refundFen must be positive and at most totalFen');
    }
    const body: Record<string, unknown> = {
      out_trade_no: input.outTradeNo,
      // WeChat Pay deduplicates on out_refund_no: a retry returns the first refund, never a second one.
      out_refund_no: input.outRefundNo,
      reason: [...input.reason].slice(0, 80).join(''),
      amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
    };
    if (input.notifyUrl) body['notify_url'] = input.notifyUrl;
    const res = await this.client.call('POST', '/v3/refund/domestic/refunds', body);
    if (!res.ok) return res;
    const d = res.data;
    const refundFen = readFen(asRecord(d['amount']), 'refund');
    if (readString(d, 'out_refund_no') !== input.outRefundNo || refundFen !== input.refundFen) {
      return failure(
        'PROVIDER_ERROR',
        'refund answer does not match the request (number or amount)',
      );
    }
    return {
      ok: true,
      outRefundNo: input.outRefundNo,
      providerRefundNo: readString(d, 'refund_id') ?? null,
      status: mapRefundStatus(readString(d, 'status') ?? ''),
      refundFen,
    };
  }

  async transfer(input: TransferInput): Promise<ProviderResult<TransferOutcome>> {
    if (!isValidOutNo(input.outBillNo) || !/^[0-9A-Za-z]+$/.test(input.outBillNo)) {
      // 商家转账 out_bill_no: digits and letters only.
      return failure('INVALID_INPUT', 'outBillNo must be 6–32 letters or digits');
    }
    if (!isPositiveFen(input.amountFen))
      return failure('INVALID_INPUT', 'amountFen must be a positive integer');
    if (!('openid' in input.payee))
      return failure('INVALID_INPUT', 'WeChat Pay transfers need the payee openid');
    const body: Record<string, unknown> = {
      appid: this.config.appid,
      out_bill_no: input.outBillNo,
      transfer_scene_id: this.config.transferSceneId ?? DEFAULT_TRANSFER_SCENE_ID,
      openid: input.payee.openid,
      transfer_amount: input.amountFen,
      transfer_remark: [...input.remark].slice(0, 32).join(''),
      transfer_scene_report_infos: (
        this.config.transferSceneReportInfos ?? DEFAULT_TRANSFER_REPORT_INFOS
      ).map((info) => ({
        info_type: info.infoType,
        info_content: info.infoContent,
      })),
    };
    if (input.notifyUrl) body['notify_url'] = input.notifyUrl;
    const extraHeaders: Record<string, string> = {};
    if (input.payee.realName) {
      // Required from 2,000 yuan: the name is RSA-OAEP encrypted to the key named in Wechatpay-Serial.
      const { serial, key } = this.client.keys.encryptionKey();
      body['user_name'] = publicEncrypt(
        { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
        Buffer.from(input.payee.realName, 'utf8'),
      ).toString('base64');
      extraHeaders['wechatpay-serial'] = serial;
    }
    const res = await this.client.call(
      'POST',
      '/v3/fund-app/mch-transfer/transfer-bills',
      body,
      extraHeaders,
    );
    if (!res.ok) {
      if (
        res.code === 'PROVIDER_REJECTED' &&
        res.providerCode &&
        BILL_EXISTS_CODES.has(res.providerCode)
      ) {
        return this.readBackExistingBill(input);
      }
      return res;
    }
    const d = res.data;
    if (readString(d, 'out_bill_no') !== input.outBillNo)
      return failure('PROVIDER_ERROR', 'answer is about another bill');
    return { ok: true, ...transferOutcome(d, input.outBillNo, input.amountFen) };
  }

  async queryTransfer(outBillNo: string): Promise<ProviderResult<TransferOutcome>> {
    if (!isValidOutNo(outBillNo)) return failure('INVALID_INPUT', 'invalid outBillNo');
    const res = await this.client.call(
      'GET',
      `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${encodeURIComponent(outBillNo)}`,
    );
    if (!res.ok) return res;
    const amountFen = readFen(res.data, 'transfer_amount');
    if (readString(res.data, 'out_bill_no') !== outBillNo || amountFen === undefined) {
      return failure('PROVIDER_ERROR', 'answer is about another bill or has no amount');
    }
    return { ok: true, ...transferOutcome(res.data, outBillNo, amountFen) };
  }

  /** A repeated out_bill_no: the first call went through, so answer with that bill — if it is the same transfer. */
  private async readBackExistingBill(
    input: TransferInput,
  ): Promise<ProviderResult<TransferOutcome>> {
    const existing = await this.queryTransfer(input.outBillNo);
    if (!existing.ok) return existing;
    if (existing.amountFen !== input.amountFen) {
      return failure('PROVIDER_REJECTED', 'out_bill_no already used for a different amount', {
        providerCode: 'OUT_BILL_NO_CONFLICT',
      });
    }
    return existing;
  }
}

function transferOutcome(
  d: Record<string, unknown>,
  outBillNo: string,
  amountFen: number,
): TransferOutcome {
  const state = readString(d, 'state') ?? '';
  const packageInfo = readString(d, 'package_info');
  const failReason = readString(d, 'fail_reason');
  return {
    outBillNo,
    providerBillNo: readString(d, 'transfer_bill_no') ?? null,
    state: mapTransferState(state),
    amountFen,
    providerState: state,
    ...(packageInfo ? { packageInfo } : {}),
    ...(failReason ? { failReason } : {}),
  };
}

function validateOrder(input: CreatePaymentInput): string | null {
  if (!isValidOutNo(input.outTradeNo)) return 'outTradeNo must be 6–32 chars of [0-9A-Za-z_-]';
  if (!isPositiveFen(input.amountFen)) return 'amountFen must be a positive integer';
  if (input.description.trim() === '') return 'description is required';
  let notify: URL;
  try {
    notify = new URL(input.notifyUrl);
  } catch {
    return 'notifyUrl must be an absolute URL';
  }
  // WeChat Pay requires https and strips query strings; a notify URL that depends on one breaks silently.
  if (notify.protocol !== 'https:' || notify.search !== '')
    return 'notifyUrl must be https with no query string';
  if (input.scene === 'jsapi' && !input.payer.openid) return 'jsapi payments need payer.openid';
  if (input.scene === 'h5' && !input.payer.clientIp) return 'h5 payments need payer.clientIp';
  return null;
}
