import { asRecord, parseDate, rawBodyText, readFen, readString } from '../common.ts';
import { checkExpectedAmount, rejectNotification } from '../notification-checks.ts';
import type {
  ExpectLookup,
  NotificationAck,
  NotificationErrorCode,
  NotificationEvent,
  NotificationVerification,
  VerifyNotificationInput,
} from '../provider.ts';
import { decryptResource } from './aead.ts';
import { mapRefundStatus, mapTransferState } from './states.ts';
import { checkWechatpaySignature, type PlatformKeys } from './signing.ts';

/** WeChat Pay wants 200/204 with no body on success. */
const ACK_OK: NotificationAck = { status: 204, body: '', contentType: 'text/plain; charset=utf-8' };

function fail(
  code: NotificationErrorCode,
  httpStatus: 400 | 401,
  message: string,
): NotificationVerification {
  // On failure WeChat Pay expects `{"code":"FAIL","message":…}` with a 4xx/5xx and retries later.
  const ack: NotificationAck = {
    status: httpStatus,
    body: JSON.stringify({ code: 'FAIL', message: code }),
    contentType: 'application/json; charset=utf-8',
  };
  return rejectNotification(code, httpStatus, message, ack);
}

const SIGNATURE_FAILURES = {
  missing: ['NOTIFY_MISSING_SIGNATURE', 'missing Wechatpay-* headers'],
  probe: ['NOTIFY_SIGNATURE_PROBE', 'signature probe (WECHATPAY/SIGNTEST/) refused'],
  stale: ['NOTIFY_STALE_TIMESTAMP', 'Wechatpay-Timestamp outside the ±5 min window'],
  unknown_serial: ['NOTIFY_UNKNOWN_SERIAL', 'Wechatpay-Serial is not a configured platform key'],
  bad_signature: ['NOTIFY_BAD_SIGNATURE', 'signature does not match the raw body'],
} as const satisfies Record<string, readonly [NotificationErrorCode, string]>;

export interface WechatNotificationContext {
  mchid: string;
  appid: string;
  apiV3Key: string;
  keys: PlatformKeys;
  nowMs: number;
}

/**
 * Verifies a WeChat Pay notification and checks it against our records:
 * signature on the raw body → decrypt `resource` → our mchid/appid → the caller's amount.
 * Only a notification that passes every step is `ok`.
 */
export async function verifyWechatNotification(
  ctx: WechatNotificationContext,
  input: VerifyNotificationInput,
  expect: ExpectLookup,
): Promise<NotificationVerification> {
  const check = checkWechatpaySignature(ctx.keys, input.headers, input.rawBody, ctx.nowMs);
  if (!check.ok) {
    const [code, message] = SIGNATURE_FAILURES[check.reason];
    return fail(code, 401, message);
  }

  let envelope: Record<string, unknown> | undefined;
  try {
    envelope = asRecord(JSON.parse(rawBodyText(input.rawBody)));
  } catch {
    envelope = undefined;
  }
  const resource = asRecord(envelope?.['resource']);
  const ciphertext = readString(resource, 'ciphertext');
  const nonce = readString(resource, 'nonce');
  const algorithm = readString(resource, 'algorithm');
  if (!envelope || !resource || !ciphertext || !nonce || !algorithm) {
    return fail('NOTIFY_MALFORMED', 400, 'not a WeChat Pay notification envelope');
  }
  const plaintext = decryptResource(ctx.apiV3Key, {
    algorithm,
    ciphertext,
    nonce,
    associated_data: readString(resource, 'associated_data') ?? '',
  });
  if (plaintext === null)
    return fail('NOTIFY_DECRYPT_FAILED', 400, 'resource could not be decrypted with the APIv3 key');
  let payload: Record<string, unknown> | undefined;
  try {
    payload = asRecord(JSON.parse(plaintext));
  } catch {
    payload = undefined;
  }
  if (!payload) return fail('NOTIFY_MALFORMED', 400, 'decrypted resource is not a JSON object');

  const eventType = readString(envelope, 'event_type') ?? '';
  const notificationId = readString(envelope, 'id') ?? null;
  const result = eventType.startsWith('TRANSACTION.')
    ? await paymentEvent(ctx, payload, expect)
    : eventType.startsWith('REFUND.')
      ? await refundEvent(ctx, payload, expect)
      : eventType.startsWith('MCHTRANSFER.')
        ? await transferEvent(ctx, payload, expect)
        : ({
            kind: 'ignored',
            outTradeNo: readString(payload, 'out_trade_no') ?? null,
            providerStatus: eventType,
          } as const);
  if ('code' in result) return fail(result.code, 400, result.message);
  return { ok: true, event: result, notificationId, ack: ACK_OK };
}

type EventOrFailure = NotificationEvent | { code: NotificationErrorCode; message: string };

async function paymentEvent(
  ctx: WechatNotificationContext,
  p: Record<string, unknown>,
  expect: ExpectLookup,
): Promise<EventOrFailure> {
  if (readString(p, 'mchid') !== ctx.mchid || readString(p, 'appid') !== ctx.appid) {
    return { code: 'NOTIFY_MERCHANT_MISMATCH', message: 'mchid/appid are not ours' };
  }
  const outTradeNo = readString(p, 'out_trade_no');
  const transactionId = readString(p, 'transaction_id');
  const amount = asRecord(p['amount']);
  const totalFen = readFen(amount, 'total');
  const tradeState = readString(p, 'trade_state') ?? '';
  if (!outTradeNo) return { code: 'NOTIFY_MALFORMED', message: 'out_trade_no missing' };
  if (tradeState !== 'SUCCESS') return { kind: 'ignored', outTradeNo, providerStatus: tradeState };
  if (!transactionId || totalFen === undefined)
    return { code: 'NOTIFY_MALFORMED', message: 'transaction_id or amount.total missing' };
  const currency = readString(amount, 'currency');
  if (currency !== undefined && currency !== 'CNY')
    return { code: 'NOTIFY_AMOUNT_MISMATCH', message: `currency ${currency}` };
  const mismatch = await checkExpectedAmount(expect, { kind: 'payment', outTradeNo }, totalFen);
  if (mismatch) return mismatch;
  return {
    kind: 'paid',
    outTradeNo,
    providerTradeNo: transactionId,
    amountFen: totalFen,
    paidAt: parseDate(p['success_time']),
    payerRef: readString(asRecord(p['payer']), 'openid') ?? null,
  };
}

async function refundEvent(
  ctx: WechatNotificationContext,
  p: Record<string, unknown>,
  expect: ExpectLookup,
): Promise<EventOrFailure> {
  // Refund notifications carry mchid but no appid.
  if (readString(p, 'mchid') !== ctx.mchid)
    return { code: 'NOTIFY_MERCHANT_MISMATCH', message: 'mchid is not ours' };
  const outTradeNo = readString(p, 'out_trade_no');
  const outRefundNo = readString(p, 'out_refund_no');
  const refundFen = readFen(asRecord(p['amount']), 'refund');
  if (!outTradeNo || !outRefundNo || refundFen === undefined) {
    return {
      code: 'NOTIFY_MALFORMED',
      message: 'out_trade_no, out_refund_no or amount.refund missing',
    };
  }
  const mismatch = await checkExpectedAmount(
    expect,
    { kind: 'refund', outTradeNo, outRefundNo },
    refundFen,
  );
  if (mismatch) return mismatch;
  return {
    kind: 'refunded',
    outTradeNo,
    outRefundNo,
    providerTradeNo: readString(p, 'transaction_id') ?? null,
    providerRefundNo: readString(p, 'refund_id') ?? null,
    status: mapRefundStatus(readString(p, 'refund_status') ?? ''),
    refundFen,
    totalRefundedFen: null,
  };
}

async function transferEvent(
  ctx: WechatNotificationContext,
  p: Record<string, unknown>,
  expect: ExpectLookup,
): Promise<EventOrFailure> {
  // 商家转账 notifications spell it `mch_id`.
  if (readString(p, 'mch_id') !== ctx.mchid)
    return { code: 'NOTIFY_MERCHANT_MISMATCH', message: 'mch_id is not ours' };
  const outBillNo = readString(p, 'out_bill_no');
  const billNo = readString(p, 'transfer_bill_no');
  const amountFen = readFen(p, 'transfer_amount');
  const state = readString(p, 'state') ?? '';
  if (!outBillNo || !billNo || amountFen === undefined) {
    return {
      code: 'NOTIFY_MALFORMED',
      message: 'out_bill_no, transfer_bill_no or transfer_amount missing',
    };
  }
  const mismatch = await checkExpectedAmount(expect, { kind: 'transfer', outBillNo }, amountFen);
  if (mismatch) return mismatch;
  const failReason = readString(p, 'fail_reason');
  return {
    kind: 'transfer',
    outBillNo,
    providerBillNo: billNo,
    state: mapTransferState(state),
    amountFen,
    ...(failReason ? { failReason } : {}),
  };
}
