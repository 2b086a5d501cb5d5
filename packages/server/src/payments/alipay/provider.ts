import { failure, formatAlipayTime, isValidOutNo, parseDate, readString } from '../common.ts';
import { formatFenAsYuan, isPositiveFen, parseYuanToFen } from '../money.ts';
import type {
  CreatePaymentInput,
  ExpectLookup,
  NotificationVerification,
  PaymentAction,
  PaymentProvider,
  PaymentQuery,
  PaymentStatus,
  ProviderResult,
  RefundInput,
  RefundOutcome,
  TransferInput,
  TransferOutcome,
  TransferState,
  VerifyNotificationInput,
} from '../provider.ts';
import { AlipayClient } from './client.ts';
import type { AlipayConfig } from './config.ts';
import { verifyAlipayNotification } from './notification.ts';

const PAY_METHODS = {
  h5: { method: 'alipay.trade.wap.pay', productCode: 'QUICK_WAP_WAY' },
  page: { method: 'alipay.trade.page.pay', productCode: 'FAST_INSTANT_TRADE_PAY' },
} as const;

/** 单笔无密转账 to an Alipay account. */
const TRANSFER_PRODUCT = {
  product_code: 'TRANS_ACCOUNT_NO_PWD',
  biz_scene: 'DIRECT_TRANSFER',
} as const;

/** Alipay open API (RSA2), direct merchant. */
export class AlipayProvider implements PaymentProvider {
  readonly name = 'alipay' as const;
  private readonly client: AlipayClient;

  constructor(private readonly config: AlipayConfig) {
    this.client = new AlipayClient(config);
  }

  async createPayment(
    input: CreatePaymentInput,
  ): Promise<ProviderResult<{ action: PaymentAction }>> {
    if (input.scene === 'jsapi')
      return failure('UNSUPPORTED_SCENE', 'Alipay cannot pay inside WeChat; use h5 or page');
    if (!isValidOutNo(input.outTradeNo))
      return failure('INVALID_INPUT', 'outTradeNo must be 6–32 chars of [0-9A-Za-z_-]');
    if (!isPositiveFen(input.amountFen))
      return failure('INVALID_INPUT', 'amountFen must be a positive integer');
    if (input.description.trim() === '') return failure('INVALID_INPUT', 'description is required');
    const { method, productCode } = PAY_METHODS[input.scene];
    const biz: Record<string, unknown> = {
      out_trade_no: input.outTradeNo,
      total_amount: formatFenAsYuan(input.amountFen),
      subject: [...input.description].slice(0, 256).join(''),
      product_code: productCode,
    };
    if (input.scene === 'h5') biz['quit_url'] = input.returnUrl;
    if (input.expiresAt) biz['time_expire'] = formatAlipayTime(input.expiresAt);
    // No network call: the shopper's browser opens the signed gateway URL.
    const url = this.client.pageUrl(method, biz, {
      notify_url: input.notifyUrl,
      return_url: input.returnUrl,
    });
    return { ok: true, action: { kind: 'redirect', url } };
  }

  verifyNotification(
    input: VerifyNotificationInput,
    expect: ExpectLookup,
  ): Promise<NotificationVerification> {
    return verifyAlipayNotification(this.client, input, expect);
  }

  async queryPayment(outTradeNo: string): Promise<ProviderResult<PaymentQuery>> {
    if (!isValidOutNo(outTradeNo)) return failure('INVALID_INPUT', 'invalid outTradeNo');
    const res = await this.client.call('alipay.trade.query', { out_trade_no: outTradeNo });
    if (!res.ok) return res;
    const amountFen = parseYuanToFen(readString(res.data, 'total_amount') ?? '');
    if (readString(res.data, 'out_trade_no') !== outTradeNo || amountFen === null) {
      return failure(
        'PROVIDER_ERROR',
        'answer is about another trade or has no valid total_amount',
      );
    }
    const state = readString(res.data, 'trade_status') ?? '';
    const payDate = readString(res.data, 'send_pay_date');
    return {
      ok: true,
      outTradeNo,
      providerTradeNo: readString(res.data, 'trade_no') ?? null,
      status: mapTradeStatus(state),
      amountFen,
      paidAt: payDate ? parseDate(`${payDate.replace(' ', 'T')}+08:00`) : null,
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
    if (!isPositiveFen(input.refundFen) || input.refundFen > input.totalFen) {
      return failure('INVALID_INPUT', 'refundFen must be positive and at most totalFen');
    }
    const res = await this.client.call('alipay.trade.refund', {
      out_trade_no: input.outTradeNo,
      refund_amount: formatFenAsYuan(input.refundFen),
      // Alipay deduplicates partial refunds on out_request_no: a retry never refunds twice.
      out_request_no: input.outRefundNo,
      refund_reason: [...input.reason].slice(0, 256).join(''),
    });
    if (!res.ok) return res;
    if (readString(res.data, 'out_trade_no') !== input.outTradeNo)
      return failure('PROVIDER_ERROR', 'answer is about another trade');
    if (readString(res.data, 'fund_change') === 'Y') {
      return {
        ok: true,
        outRefundNo: input.outRefundNo,
        providerRefundNo: null,
        status: 'succeeded',
        refundFen: input.refundFen,
      };
    }
    // fund_change=N: no money moved by THIS call — a retry of a refund already done, or
    // one still in progress. Alipay's advice: ask the refund query which it is.
    return this.queryRefund(input);
  }

  private async queryRefund(input: RefundInput): Promise<ProviderResult<RefundOutcome>> {
    const res = await this.client.call('alipay.trade.fastpay.refund.query', {
      out_trade_no: input.outTradeNo,
      out_request_no: input.outRefundNo,
    });
    if (!res.ok) return res;
    const refundFen = parseYuanToFen(readString(res.data, 'refund_amount') ?? '');
    const succeeded = readString(res.data, 'refund_status') === 'REFUND_SUCCESS';
    if (succeeded && refundFen !== input.refundFen) {
      return failure('PROVIDER_REJECTED', 'out_request_no already used for a different amount', {
        providerCode: 'OUT_REFUND_NO_CONFLICT',
      });
    }
    return {
      ok: true,
      outRefundNo: input.outRefundNo,
      providerRefundNo: null,
      status: succeeded ? 'succeeded' : 'processing',
      refundFen: input.refundFen,
    };
  }

  async transfer(input: TransferInput): Promise<ProviderResult<TransferOutcome>> {
    if (!isValidOutNo(input.outBillNo))
      return failure('INVALID_INPUT', 'outBillNo must be 6–32 chars of [0-9A-Za-z_-]');
    if (!isPositiveFen(input.amountFen))
      return failure('INVALID_INPUT', 'amountFen must be a positive integer');
    const payee = payeeInfo(input.payee);
    if (!payee) return failure('INVALID_INPUT', 'an Alipay logon id needs the payee real name');
    const res = await this.client.call('alipay.fund.trans.uni.transfer', {
      // Alipay is idempotent on out_biz_no: the same request returns the first result.
      out_biz_no: input.outBillNo,
      trans_amount: formatFenAsYuan(input.amountFen),
      ...TRANSFER_PRODUCT,
      order_title: this.config.transferOrderTitle ?? '返利提现',
      payee_info: payee,
      remark: [...input.remark].slice(0, 200).join(''),
    });
    if (!res.ok) {
      if (res.providerCode === 'PAYMENT_INFO_INCONSISTENCY') {
        return failure('PROVIDER_REJECTED', 'out_biz_no already used with other details', {
          providerCode: 'OUT_BILL_NO_CONFLICT',
        });
      }
      return res;
    }
    if (readString(res.data, 'out_biz_no') !== input.outBillNo)
      return failure('PROVIDER_ERROR', 'answer is about another bill');
    return { ok: true, ...transferOutcome(res.data, input.outBillNo, input.amountFen) };
  }

  async queryTransfer(outBillNo: string): Promise<ProviderResult<TransferOutcome>> {
    if (!isValidOutNo(outBillNo)) return failure('INVALID_INPUT', 'invalid outBillNo');
    const res = await this.client.call('alipay.fund.trans.common.query', {
      out_biz_no: outBillNo,
      ...TRANSFER_PRODUCT,
    });
    if (!res.ok) return res;
    const amountFen = parseYuanToFen(readString(res.data, 'trans_amount') ?? '');
    if (amountFen === null) return failure('PROVIDER_ERROR', 'answer has no valid trans_amount');
    return { ok: true, ...transferOutcome(res.data, outBillNo, amountFen) };
  }
}

function payeeInfo(payee: TransferInput['payee']): Record<string, string> | null {
  const name: Record<string, string> = payee.realName ? { name: payee.realName } : {};
  if ('openid' in payee)
    return { identity: payee.openid, identity_type: 'ALIPAY_OPEN_ID', ...name };
  // 2088 + 12 digits is an Alipay user id; anything else is a logon id (phone / email), which needs the name.
  if (/^2088[0-9]{12}$/.test(payee.account))
    return { identity: payee.account, identity_type: 'ALIPAY_USER_ID', ...name };
  if (!payee.realName) return null;
  return { identity: payee.account, identity_type: 'ALIPAY_LOGON_ID', ...name };
}

function transferOutcome(
  d: Record<string, unknown>,
  outBillNo: string,
  amountFen: number,
): TransferOutcome {
  const state = readString(d, 'status') ?? '';
  const failReason = readString(d, 'fail_reason');
  return {
    outBillNo,
    providerBillNo: readString(d, 'order_id') ?? null,
    state: mapTransferStatus(state),
    amountFen,
    providerState: state,
    ...(failReason ? { failReason } : {}),
  };
}

function mapTradeStatus(state: string): PaymentStatus {
  if (state === 'TRADE_SUCCESS' || state === 'TRADE_FINISHED') return 'paid';
  // TRADE_CLOSED covers both "never paid, timed out" and "fully refunded"; the caller knows which.
  if (state === 'TRADE_CLOSED') return 'closed';
  return 'pending';
}

function mapTransferStatus(state: string): TransferState {
  switch (state) {
    case 'SUCCESS':
      return 'succeeded';
    case 'FAIL':
    case 'REFUND': // paid out, then returned to the merchant: the user did not get it
      return 'failed';
    case 'CLOSED':
      return 'cancelled';
    default:
      return 'processing'; // DEALING, WAIT_PAY, INIT
  }
}
