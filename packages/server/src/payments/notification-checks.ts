import type {
  ExpectLookup,
  NotificationAck,
  NotificationErrorCode,
  NotificationRef,
  NotificationVerification,
} from './provider.ts';

/** A rejected notification; each adapter supplies the ack body its provider expects. */
export function rejectNotification(
  code: NotificationErrorCode,
  httpStatus: 400 | 401,
  message: string,
  ack: NotificationAck,
): NotificationVerification {
  return { ok: false, code, httpStatus, message, ack };
}

export interface AmountCheckFailure {
  code: 'NOTIFY_UNKNOWN_REFERENCE' | 'NOTIFY_AMOUNT_MISMATCH';
  message: string;
}

/**
 * Compares a verified amount with the caller's record. `exact` for payments, refunds and
 * transfers; `atMost` for cumulative refund totals, which may legitimately be below the
 * order total but never above it.
 */
export async function checkExpectedAmount(
  expect: ExpectLookup,
  ref: NotificationRef,
  actualFen: number,
  mode: 'exact' | 'atMost' = 'exact',
): Promise<AmountCheckFailure | null> {
  const expected = await expect(ref);
  if (expected === null) {
    return { code: 'NOTIFY_UNKNOWN_REFERENCE', message: `unknown ${ref.kind} reference` };
  }
  const matches =
    mode === 'exact' ? actualFen === expected.amountFen : actualFen <= expected.amountFen;
  if (!matches) {
    return {
      code: 'NOTIFY_AMOUNT_MISMATCH',
      message: `${ref.kind} amount ${actualFen} fen does not match expected ${expected.amountFen} fen`,
    };
  }
  return null;
}
