import type { PaymentStatus, RefundStatus, TransferState } from '../provider.ts';

/** WeChat Pay state strings → ours. Unknown values map to the non-final state, never to success. */

export function mapTradeState(state: string): PaymentStatus {
  switch (state) {
    case 'SUCCESS':
      return 'paid';
    case 'REFUND':
      return 'refunded';
    case 'CLOSED':
    case 'REVOKED':
    case 'PAYERROR':
      return 'closed';
    default:
      return 'pending'; // NOTPAY, USERPAYING
  }
}

export function mapRefundStatus(status: string): RefundStatus {
  switch (status) {
    case 'SUCCESS':
      return 'succeeded';
    case 'CLOSED':
      return 'closed';
    case 'ABNORMAL':
      return 'abnormal';
    default:
      return 'processing';
  }
}

export function mapTransferState(state: string): TransferState {
  switch (state) {
    case 'SUCCESS':
      return 'succeeded';
    case 'FAIL':
      return 'failed';
    case 'CANCELLED':
      return 'cancelled';
    case 'WAIT_USER_CONFIRM':
      return 'waiting_user_confirm';
    default:
      return 'processing'; // ACCEPTED, PROCESSING, TRANSFERING, CANCELING
  }
}
