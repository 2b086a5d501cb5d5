import { createHash } from 'node:crypto';
import { failure, isValidOutNo, makeNonce, rawBodyText, safeEqual } from '../common.ts';
import { isPositiveFen } from '../money.ts';
import { checkExpectedAmount, rejectNotification } from '../notification-checks.ts';
import type {
  CreatePaymentInput,
  ExpectLookup,
  NotificationAck,
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
import {
  SANDBOX_HEADER,
  checkSandboxSignature,
  signPayLink,
  signSandboxBody,
} from './signature.ts';

export interface SandboxConfig {
  /** HMAC secret for notifications and pay links (FANLI_SANDBOX_SECRET). */
  secret: string;
  /** Origin our server is reachable at, e.g. `http://localhost:3000`; empty gives a relative link. */
  publicBaseUrl?: string;
  /** How long a pay link stays valid when the payment has no `expiresAt`. */
  linkTtlMs?: number;
  now?: () => number;
}

/** Everything the hosted pay page needs, carried in the link and protected by an HMAC tag. */
export interface PayLink {
  outTradeNo: string;
  amountFen: number;
  notifyUrl: string;
  returnUrl: string;
  expiresAtSec: number;
}

export interface SignedNotification {
  rawBody: string;
  headers: Record<string, string>;
}

interface SandboxTrade {
  amountFen: number;
  providerTradeNo: string;
  paidAt: Date;
  refundedFen: number;
}

const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

const ACK_OK: NotificationAck = { status: 204, body: '', contentType: 'text/plain; charset=utf-8' };

function failAck(status: 400 | 401, code: string, message: string): NotificationAck {
  return {
    status,
    body: JSON.stringify({ code, message }),
    contentType: 'application/json; charset=utf-8',
  };
}

/**
 * The default provider: no credentials, no network. Payments happen on our own hosted
 * page (see routes.ts); refunds and transfers succeed at once. Trade state lives in this
 * process's memory only — after a restart `queryPayment` answers PROVIDER_NOT_FOUND, and
 * the caller's own order status remains the truth.
 */
export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  private readonly trades = new Map<string, SandboxTrade>();
  private readonly refunds = new Map<string, RefundOutcome & { outTradeNo: string }>();
  private readonly transfers = new Map<string, TransferOutcome>();
  private readonly now: () => number;

  constructor(private readonly config: SandboxConfig) {
    if (config.secret.length < 16) throw new Error('sandbox secret must be at least 16 characters');
    this.now = config.now ?? Date.now;
  }

  async createPayment(
    input: CreatePaymentInput,
  ): Promise<ProviderResult<{ action: PaymentAction }>> {
    if (!isValidOutNo(input.outTradeNo))
      return failure('INVALID_INPUT', 'outTradeNo must be 6–32 chars of [0-9A-Za-z_-]');
    if (!isPositiveFen(input.amountFen))
      return failure('INVALID_INPUT', 'amountFen must be a positive integer');
    const expiresAtMs =
      input.expiresAt?.getTime() ?? this.now() + (this.config.linkTtlMs ?? TWO_HOURS_MS);
    const link: PayLink = {
      outTradeNo: input.outTradeNo,
      amountFen: input.amountFen,
      notifyUrl: input.notifyUrl,
      returnUrl: input.returnUrl,
      expiresAtSec: Math.floor(expiresAtMs / 1000),
    };
    const base = (this.config.publicBaseUrl ?? '').replace(/\/+$/, '');
    const url = `${base}/sandbox/pay/${encodeURIComponent(input.outTradeNo)}?${this.payLinkQuery(link)}`;
    return { ok: true, action: { kind: 'redirect', url } };
  }

  /** Query string carrying a pay link; also used as the confirm form's action. */
  payLinkQuery(link: PayLink): string {
    return new URLSearchParams({
      amount: String(link.amountFen),
      notify: link.notifyUrl,
      return: link.returnUrl,
      exp: String(link.expiresAtSec),
      sig: signPayLink(this.config.secret, linkFields(link)),
    }).toString();
  }

  /** Reads and authenticates a pay link; null if tampered with or expired. */
  readPayLink(outTradeNo: string, query: Record<string, unknown>): PayLink | null {
    const field = (name: string): string | null =>
      typeof query[name] === 'string' ? (query[name] as string) : null;
    const amount = field('amount');
    const exp = field('exp');
    const notifyUrl = field('notify');
    const returnUrl = field('return');
    const sig = field('sig');
    if (!amount || !exp || !notifyUrl || !returnUrl || !sig) return null;
    if (!/^[0-9]{1,15}$/.test(amount) || !/^[0-9]{1,12}$/.test(exp)) return null;
    const link: PayLink = {
      outTradeNo,
      amountFen: Number(amount),
      notifyUrl,
      returnUrl,
      expiresAtSec: Number(exp),
    };
    if (!safeEqual(signPayLink(this.config.secret, linkFields(link)), sig)) return null;
    if (link.expiresAtSec * 1000 < this.now()) return null;
    return link;
  }

  /** Records the payment as taken and returns the signed notification to deliver. */
  confirmPayment(link: PayLink): SignedNotification {
    const existing = this.trades.get(link.outTradeNo);
    const trade: SandboxTrade = existing ?? {
      amountFen: link.amountFen,
      providerTradeNo: sandboxTradeNo(link.outTradeNo),
      paidAt: new Date(this.now()),
      refundedFen: 0,
    };
    this.trades.set(link.outTradeNo, trade);
    const body = JSON.stringify({
      id: `SBN${makeNonce().slice(0, 20)}`,
      type: 'payment.succeeded',
      out_trade_no: link.outTradeNo,
      trade_no: trade.providerTradeNo,
      amount_fen: trade.amountFen,
      paid_at: trade.paidAt.toISOString(),
    });
    return { rawBody: body, headers: this.signHeaders(body) };
  }

  /** Signs any body as the sandbox gateway would; exported for tests and local tools. */
  signHeaders(rawBody: string): Record<string, string> {
    const timestamp = String(Math.floor(this.now() / 1000));
    const nonce = makeNonce();
    return {
      'content-type': 'application/json',
      [SANDBOX_HEADER.timestamp]: timestamp,
      [SANDBOX_HEADER.nonce]: nonce,
      [SANDBOX_HEADER.signature]: signSandboxBody(this.config.secret, timestamp, nonce, rawBody),
    };
  }

  async verifyNotification(
    input: VerifyNotificationInput,
    expect: ExpectLookup,
  ): Promise<NotificationVerification> {
    const check = checkSandboxSignature(
      this.config.secret,
      input.rawBody,
      input.headers,
      this.now(),
    );
    if (!check.ok) {
      const code =
        check.reason === 'missing'
          ? 'NOTIFY_MISSING_SIGNATURE'
          : check.reason === 'stale'
            ? 'NOTIFY_STALE_TIMESTAMP'
            : 'NOTIFY_BAD_SIGNATURE';
      return rejectNotification(code, 401, check.reason, failAck(401, code, check.reason));
    }
    const payload = parsePaymentNotification(rawBodyText(input.rawBody));
    if (!payload) {
      return rejectNotification(
        'NOTIFY_MALFORMED',
        400,
        'unreadable payload',
        failAck(400, 'NOTIFY_MALFORMED', 'unreadable payload'),
      );
    }
    const mismatch = await checkExpectedAmount(
      expect,
      { kind: 'payment', outTradeNo: payload.outTradeNo },
      payload.amountFen,
    );
    if (mismatch)
      return rejectNotification(
        mismatch.code,
        400,
        mismatch.message,
        failAck(400, mismatch.code, mismatch.message),
      );
    return {
      ok: true,
      notificationId: payload.id,
      ack: ACK_OK,
      event: {
        kind: 'paid',
        outTradeNo: payload.outTradeNo,
        providerTradeNo: payload.tradeNo,
        amountFen: payload.amountFen,
        paidAt: payload.paidAt,
        payerRef: null,
      },
    };
  }

  async queryPayment(outTradeNo: string): Promise<ProviderResult<PaymentQuery>> {
    const trade = this.trades.get(outTradeNo);
    if (!trade)
      return failure('PROVIDER_NOT_FOUND', 'no sandbox trade with this outTradeNo in this process');
    const fullyRefunded = trade.refundedFen >= trade.amountFen;
    return {
      ok: true,
      outTradeNo,
      providerTradeNo: trade.providerTradeNo,
      status: fullyRefunded ? 'refunded' : 'paid',
      amountFen: trade.amountFen,
      paidAt: trade.paidAt,
      providerStatus: fullyRefunded ? 'REFUNDED' : 'PAID',
    };
  }

  async refund(input: RefundInput): Promise<ProviderResult<RefundOutcome>> {
    if (!isValidOutNo(input.outRefundNo))
      return failure('INVALID_INPUT', 'outRefundNo must be 6–32 chars of [0-9A-Za-z_-]');
    if (!isPositiveFen(input.refundFen) || input.refundFen > input.totalFen) {
      return failure('INVALID_INPUT', 'refundFen must be positive and at most totalFen');
    }
    const previous = this.refunds.get(input.outRefundNo);
    if (previous) {
      // Same number, same request → the first answer; same number, other amount → a bug upstream.
      if (previous.outTradeNo !== input.outTradeNo || previous.refundFen !== input.refundFen) {
        return failure('PROVIDER_REJECTED', 'outRefundNo already used for another refund', {
          providerCode: 'OUT_REFUND_NO_CONFLICT',
        });
      }
      return { ok: true, ...withoutTradeNo(previous) };
    }
    const trade = this.trades.get(input.outTradeNo);
    if (trade) {
      if (trade.refundedFen + input.refundFen > trade.amountFen) {
        return failure('PROVIDER_REJECTED', 'refunds would exceed the amount paid', {
          providerCode: 'REFUND_EXCEEDS_PAID',
        });
      }
      trade.refundedFen += input.refundFen;
    }
    const outcome = {
      outTradeNo: input.outTradeNo,
      outRefundNo: input.outRefundNo,
      providerRefundNo: `SBR${digest(input.outRefundNo)}`,
      status: 'succeeded' as const,
      refundFen: input.refundFen,
    };
    this.refunds.set(input.outRefundNo, outcome);
    return { ok: true, ...withoutTradeNo(outcome) };
  }

  async transfer(input: TransferInput): Promise<ProviderResult<TransferOutcome>> {
    if (!isValidOutNo(input.outBillNo))
      return failure('INVALID_INPUT', 'outBillNo must be 6–32 chars of [0-9A-Za-z_-]');
    if (!isPositiveFen(input.amountFen))
      return failure('INVALID_INPUT', 'amountFen must be a positive integer');
    const previous = this.transfers.get(input.outBillNo);
    if (previous) {
      if (previous.amountFen !== input.amountFen) {
        return failure('PROVIDER_REJECTED', 'outBillNo already used for another amount', {
          providerCode: 'OUT_BILL_NO_CONFLICT',
        });
      }
      return { ok: true, ...previous };
    }
    const outcome: TransferOutcome = {
      outBillNo: input.outBillNo,
      providerBillNo: `SBT${digest(input.outBillNo)}`,
      state: 'succeeded',
      amountFen: input.amountFen,
      providerState: 'SUCCESS',
    };
    this.transfers.set(input.outBillNo, outcome);
    return { ok: true, ...outcome };
  }

  async queryTransfer(outBillNo: string): Promise<ProviderResult<TransferOutcome>> {
    const outcome = this.transfers.get(outBillNo);
    if (!outcome)
      return failure(
        'PROVIDER_NOT_FOUND',
        'no sandbox transfer with this outBillNo in this process',
      );
    return { ok: true, ...outcome };
  }
}

function linkFields(link: PayLink): string[] {
  return [
    link.outTradeNo,
    String(link.amountFen),
    link.notifyUrl,
    link.returnUrl,
    String(link.expiresAtSec),
  ];
}

/** Deterministic provider numbers, so a retried call answers with the same number. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 24).toUpperCase();
}

function sandboxTradeNo(outTradeNo: string): string {
  return `SBX${digest(outTradeNo)}`;
}

function withoutTradeNo(outcome: RefundOutcome & { outTradeNo: string }): RefundOutcome {
  const { outTradeNo: _outTradeNo, ...rest } = outcome;
  return rest;
}

interface SandboxPaymentPayload {
  id: string;
  outTradeNo: string;
  tradeNo: string;
  amountFen: number;
  paidAt: Date | null;
}

function parsePaymentNotification(text: string): SandboxPaymentPayload | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v['type'] !== 'payment.succeeded') return null;
  const {
    id,
    out_trade_no: outTradeNo,
    trade_no: tradeNo,
    amount_fen: amountFen,
    paid_at: paidAt,
  } = v;
  if (typeof id !== 'string' || typeof outTradeNo !== 'string' || typeof tradeNo !== 'string')
    return null;
  if (typeof amountFen !== 'number' || !isPositiveFen(amountFen)) return null;
  const paidAtDate = typeof paidAt === 'string' ? new Date(paidAt) : null;
  return {
    id,
    outTradeNo,
    tradeNo,
    amountFen,
    paidAt: paidAtDate && !Number.isNaN(paidAtDate.getTime()) ? paidAtDate : null,
  };
}
