/**
 * The contract every payment adapter (sandbox, WeChat Pay, Alipay) implements.
 *
 * Design rules, shared by all adapters:
 * - Money is integer fen everywhere in this interface; adapters convert at the edge.
 * - Expected failures are values with a stable `code`; adapters throw only for bugs.
 * - Network failures and timeouts are `retryable` values: the outcome is unknown, so the
 *   caller retries with the SAME outTradeNo / outRefundNo / outBillNo it persisted before
 *   the first call, and the provider's own idempotency turns the retry into a read.
 * - Notifications are verified on the raw request bytes, then checked against what the
 *   caller expects (amount, our merchant ids) before anything is returned as `ok`, so a
 *   caller that writes only on `ok: true` can never book a wrong amount.
 */

export type ProviderName = 'sandbox' | 'wechatpay' | 'alipay';

/** jsapi: inside WeChat (needs openid) · h5: mobile browser · page: desktop (Alipay page / WeChat Native QR). */
export type PaymentScene = 'jsapi' | 'h5' | 'page';

export interface CreatePaymentInput {
  /** Our order payment number, 6–32 chars of [0-9A-Za-z_-]; unique per payment attempt. */
  outTradeNo: string;
  amountFen: number;
  description: string;
  payer: { openid?: string; clientIp?: string };
  /** Absolute https URL without a query string (WeChat Pay rejects query strings). */
  notifyUrl: string;
  /** Where the shopper's browser goes after paying or cancelling. */
  returnUrl: string;
  scene: PaymentScene;
  /** Optional payment deadline; the provider closes the trade after it. */
  expiresAt?: Date;
}

/** Parameters for WeixinJSBridge `getBrandWCPayRequest` / `wx.requestPayment`. */
export interface JsapiPayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export type PaymentAction =
  | { kind: 'redirect'; url: string }
  | { kind: 'jsapi'; params: JsapiPayParams }
  | { kind: 'qrcode'; codeUrl: string };

export type ProviderErrorCode =
  /** No answer in time: the outcome is unknown, retry with the same out-number. */
  | 'PROVIDER_TIMEOUT'
  /** Network failure, 5xx, or an answer we cannot trust (bad signature): outcome unknown. */
  | 'PROVIDER_ERROR'
  /** The provider answered and said no (insufficient balance, bad parameter, …). */
  | 'PROVIDER_REJECTED'
  /** The provider says the trade / refund / bill does not exist. */
  | 'PROVIDER_NOT_FOUND'
  /** Our own input is invalid; nothing was sent. */
  | 'INVALID_INPUT'
  /** This provider cannot serve the requested scene (e.g. Alipay has no jsapi). */
  | 'UNSUPPORTED_SCENE';

export interface ProviderFailure {
  ok: false;
  code: ProviderErrorCode;
  retryable: boolean;
  message: string;
  /** The provider's own error code (e.g. `NOT_ENOUGH`, `ACQ.TRADE_NOT_EXIST`) for logs and support. */
  providerCode?: string;
  httpStatus?: number;
}

export type ProviderResult<T> = ({ ok: true } & T) | ProviderFailure;

export type PaymentStatus = 'pending' | 'paid' | 'closed' | 'refunded';

export interface PaymentQuery {
  outTradeNo: string;
  providerTradeNo: string | null;
  status: PaymentStatus;
  /** The order total the provider holds for this trade; the caller compares it with its own. */
  amountFen: number;
  paidAt: Date | null;
  /** Provider's raw status string, for logs. */
  providerStatus: string;
}

export interface RefundInput {
  outTradeNo: string;
  /** Persisted by the caller before the first attempt and reused on every retry. */
  outRefundNo: string;
  refundFen: number;
  totalFen: number;
  reason: string;
  notifyUrl?: string;
}

export type RefundStatus = 'processing' | 'succeeded' | 'closed' | 'abnormal';

export interface RefundOutcome {
  outRefundNo: string;
  providerRefundNo: string | null;
  status: RefundStatus;
  refundFen: number;
}

export type TransferPayee =
  { openid: string; realName?: string } | { account: string; realName?: string };

export interface TransferInput {
  /** Persisted by the caller before the first attempt and reused on every retry. */
  outBillNo: string;
  payee: TransferPayee;
  amountFen: number;
  remark: string;
  notifyUrl?: string;
}

export type TransferState =
  | 'processing'
  /** WeChat Pay: the user must confirm in WeChat (client calls wx.requestMerchantTransfer with packageInfo). */
  | 'waiting_user_confirm'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

export interface TransferOutcome {
  outBillNo: string;
  providerBillNo: string | null;
  state: TransferState;
  amountFen: number;
  /** WeChat Pay only: `package_info` for wx.requestMerchantTransfer. */
  packageInfo?: string;
  failReason?: string;
  providerState: string;
}

// ---------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------

export interface PaidEvent {
  kind: 'paid';
  outTradeNo: string;
  providerTradeNo: string;
  amountFen: number;
  paidAt: Date | null;
  /** openid (WeChat) or buyer_id (Alipay), when present. */
  payerRef: string | null;
}

export interface RefundedEvent {
  kind: 'refunded';
  outTradeNo: string;
  outRefundNo: string | null;
  providerTradeNo: string | null;
  providerRefundNo: string | null;
  status: RefundStatus;
  /** This refund's amount (WeChat, sandbox); null when the provider reports only a total. */
  refundFen: number | null;
  /** Sum refunded on the trade so far (Alipay `refund_fee`); null when not reported. */
  totalRefundedFen: number | null;
}

export interface TransferEvent {
  kind: 'transfer';
  outBillNo: string;
  providerBillNo: string;
  state: TransferState;
  amountFen: number;
  failReason?: string;
}

/** A genuine notification that changes nothing for us (e.g. Alipay WAIT_BUYER_PAY): ack it, write nothing. */
export interface IgnoredEvent {
  kind: 'ignored';
  outTradeNo: string | null;
  providerStatus: string;
}

export type NotificationEvent = PaidEvent | RefundedEvent | TransferEvent | IgnoredEvent;

/** What the adapter must answer to the provider's HTTP request. */
export interface NotificationAck {
  status: number;
  body: string;
  contentType: string;
}

export type NotificationErrorCode =
  | 'NOTIFY_MALFORMED'
  | 'NOTIFY_MISSING_SIGNATURE'
  | 'NOTIFY_STALE_TIMESTAMP'
  | 'NOTIFY_UNKNOWN_SERIAL'
  | 'NOTIFY_BAD_SIGNATURE'
  /** WeChat Pay probes merchants with `WECHATPAY/SIGNTEST/…` signatures: they must fail. */
  | 'NOTIFY_SIGNATURE_PROBE'
  | 'NOTIFY_UNSUPPORTED_SIGN_TYPE'
  | 'NOTIFY_DECRYPT_FAILED'
  /** mchid / appid / app_id / seller_id is not ours. */
  | 'NOTIFY_MERCHANT_MISMATCH'
  /** The caller does not know this out_trade_no / out_refund_no / out_bill_no. */
  | 'NOTIFY_UNKNOWN_REFERENCE'
  | 'NOTIFY_AMOUNT_MISMATCH';

export type NotificationVerification =
  | { ok: true; event: NotificationEvent; notificationId: string | null; ack: NotificationAck }
  | {
      ok: false;
      code: NotificationErrorCode;
      httpStatus: 400 | 401;
      message: string;
      ack: NotificationAck;
    };

export interface VerifyNotificationInput {
  /** The exact bytes received. Never a re-serialized parsed body. */
  rawBody: Buffer | string;
  headers: Record<string, string | string[] | undefined>;
}

/** Which of the caller's records a notification refers to. */
export type NotificationRef =
  | { kind: 'payment'; outTradeNo: string }
  | { kind: 'refund'; outTradeNo: string; outRefundNo: string }
  | { kind: 'transfer'; outBillNo: string };

/** The caller's own amount for the referenced record; the adapter rejects any other. */
export interface ExpectedAmount {
  amountFen: number;
}

/**
 * Looks up what the caller expects, typically a read of the order / refund / withdrawal
 * row. Return null when the reference is unknown: the notification is then rejected.
 */
export type ExpectLookup = (
  ref: NotificationRef,
) => Promise<ExpectedAmount | null> | ExpectedAmount | null;

export interface PaymentProvider {
  readonly name: ProviderName;
  createPayment(input: CreatePaymentInput): Promise<ProviderResult<{ action: PaymentAction }>>;
  verifyNotification(
    input: VerifyNotificationInput,
    expect: ExpectLookup,
  ): Promise<NotificationVerification>;
  queryPayment(outTradeNo: string): Promise<ProviderResult<PaymentQuery>>;
  refund(input: RefundInput): Promise<ProviderResult<RefundOutcome>>;
  transfer(input: TransferInput): Promise<ProviderResult<TransferOutcome>>;
  queryTransfer(outBillNo: string): Promise<ProviderResult<TransferOutcome>>;
}
