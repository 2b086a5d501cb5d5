import { ApiError, errorText, post } from './api.ts';
import i18n from './i18n.ts';
import type { PayAnswer } from './types.ts';

const PAY_ERRORS = [
  'ORDER_STATE_INVALID',
  'NOT_FOUND',
  'PAYMENT_PROVIDER_UNKNOWN',
  'PAYMENT_FAILED',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
];

/**
 * Starts paying an order and follows the provider's next step. The sandbox (and H5
 * wallets) answer with a redirect to their cashier page, which sends the shopper back
 * to `returnPath` (the order page unless told otherwise) when done. The path is sent as
 * a path: the server makes it absolute for the provider, so paying works whatever address
 * the shop was opened at. Returns false when nothing was left to do here; a failure is
 * thrown with a message saying what the shopper can do.
 */
export async function startPayment(orderId: number, returnPath?: string): Promise<boolean> {
  const returnUrl = returnPath ?? `/orders/${orderId}`;
  let res: PayAnswer;
  try {
    res = await post<PayAnswer>(`/api/v1/orders/${orderId}/pay`, { returnUrl, scene: 'h5' });
  } catch (e) {
    if (e instanceof ApiError && PAY_ERRORS.includes(e.code)) {
      throw new ApiError(e.status, e.code, i18n.t(`payError.${e.code}`), e.details);
    }
    throw e;
  }
  if (res.action.kind === 'redirect' && typeof res.action.url === 'string') {
    window.location.assign(res.action.url);
    return true;
  }
  return false;
}

/** Placing an order: a refused request says what to check instead of "请求参数不正确". */
export function orderErrorText(e: unknown): string {
  if (e instanceof ApiError && e.code === 'VALIDATION_FAILED')
    return i18n.t('payError.ORDER_INVALID');
  return errorText(e);
}
