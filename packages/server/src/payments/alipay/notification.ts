import { rawBodyText } from '../common.ts';
import { parseYuanToFen } from '../money.ts';
import { checkExpectedAmount, rejectNotification } from '../notification-checks.ts';
import type {
  ExpectLookup,
  NotificationAck,
  NotificationErrorCode,
  NotificationVerification,
  VerifyNotificationInput,
} from '../provider.ts';
import type { AlipayClient } from './client.ts';
import { signingContent, verifyRsa2 } from './signing.ts';

/** Alipay stops retrying only when the body is exactly `success`. */
const ACK_OK: NotificationAck = {
  status: 200,
  body: 'success',
  contentType: 'text/plain; charset=utf-8',
};

function fail(
  code: NotificationErrorCode,
  httpStatus: 400 | 401,
  message: string,
): NotificationVerification {
  return rejectNotification(code, httpStatus, message, {
    status: httpStatus,
    body: 'fail',
    contentType: 'text/plain; charset=utf-8',
  });
}

/** Only these trade states mean the money was taken. */
const PAID_STATES = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

/**
 * Verifies an Alipay asynchronous notification (form-encoded POST):
 * RSA2 only → signature over the sorted parameters without sign/sign_type → our app_id and
 * seller_id → total_amount, converted exactly to fen, equals the caller's amount.
 * Alipay sends no timestamp to bound replays; replays are harmless because the caller is
 * idempotent on out_trade_no (and notify_id).
 */
export async function verifyAlipayNotification(
  client: AlipayClient,
  input: VerifyNotificationInput,
  expect: ExpectLookup,
): Promise<NotificationVerification> {
  const form = new URLSearchParams(rawBodyText(input.rawBody));
  const params: Record<string, string> = {};
  for (const [key, value] of form) {
    // A repeated parameter makes "the" value ambiguous between us and the signer.
    if (key in params) return fail('NOTIFY_MALFORMED', 400, `parameter ${key} repeated`);
    params[key] = value;
  }
  const sign = params['sign'];
  const signType = params['sign_type'];
  if (!sign || !signType) return fail('NOTIFY_MISSING_SIGNATURE', 401, 'sign / sign_type missing');
  // RSA (SHA1) is weak and never what we configure; accepting it would allow a downgrade.
  if (signType !== 'RSA2')
    return fail('NOTIFY_UNSUPPORTED_SIGN_TYPE', 400, `sign_type ${signType} is not accepted`);
  if (!verifyRsa2(client.alipayKey, signingContent(params, ['sign', 'sign_type']), sign)) {
    return fail('NOTIFY_BAD_SIGNATURE', 401, 'signature does not match the parameters');
  }
  if (params['app_id'] !== client.config.appId)
    return fail('NOTIFY_MERCHANT_MISMATCH', 400, 'app_id is not ours');
  if (client.config.sellerId && params['seller_id'] !== client.config.sellerId) {
    return fail('NOTIFY_MERCHANT_MISMATCH', 400, 'seller_id is not ours');
  }

  const outTradeNo = params['out_trade_no'];
  const tradeNo = params['trade_no'];
  const tradeStatus = params['trade_status'] ?? '';
  const totalFen = parseYuanToFen(params['total_amount'] ?? '');
  if (!outTradeNo || !tradeNo || totalFen === null) {
    return fail(
      'NOTIFY_MALFORMED',
      400,
      'out_trade_no, trade_no or total_amount missing or invalid',
    );
  }
  const notificationId = params['notify_id'] ?? null;
  const isRefund = params['refund_fee'] !== undefined || params['gmt_refund'] !== undefined;
  if (!isRefund && !PAID_STATES.has(tradeStatus)) {
    return {
      ok: true,
      notificationId,
      ack: ACK_OK,
      event: { kind: 'ignored', outTradeNo, providerStatus: tradeStatus },
    };
  }

  // Checked for refunds too: total_amount is the order total either way.
  const totalMismatch = await checkExpectedAmount(
    expect,
    { kind: 'payment', outTradeNo },
    totalFen,
  );
  if (totalMismatch) return fail(totalMismatch.code, 400, totalMismatch.message);

  if (isRefund) {
    // A partial refund keeps trade_status TRADE_SUCCESS: without this branch it would read as a second payment.
    const refundedFen = parseYuanToFen(params['refund_fee'] ?? '');
    if (refundedFen === null) return fail('NOTIFY_MALFORMED', 400, 'refund_fee invalid');
    if (refundedFen > totalFen)
      return fail('NOTIFY_AMOUNT_MISMATCH', 400, 'refund_fee exceeds total_amount');
    return {
      ok: true,
      notificationId,
      ack: ACK_OK,
      event: {
        kind: 'refunded',
        outTradeNo,
        outRefundNo: params['out_biz_no'] ?? null,
        providerTradeNo: tradeNo,
        providerRefundNo: null,
        status: 'succeeded',
        refundFen: null,
        totalRefundedFen: refundedFen,
      },
    };
  }

  const paidAt = params['gmt_payment']
    ? new Date(`${params['gmt_payment'].replace(' ', 'T')}+08:00`)
    : null;
  return {
    ok: true,
    notificationId,
    ack: ACK_OK,
    event: {
      kind: 'paid',
      outTradeNo,
      providerTradeNo: tradeNo,
      amountFen: totalFen,
      paidAt: paidAt && !Number.isNaN(paidAt.getTime()) ? paidAt : null,
      payerRef: params['buyer_open_id'] ?? params['buyer_id'] ?? null,
    },
  };
}
