import { post } from './api.ts';
import type { PayAnswer } from './types.ts';

/**
 * Starts paying an order and follows the provider's next step. The sandbox (and H5
 * wallets) answer with a redirect to their cashier page, which sends the shopper back
 * to `returnPath` (the order page unless told otherwise) when done. Returns false when
 * nothing was left to do here.
 */
export async function startPayment(orderId: number, returnPath?: string): Promise<boolean> {
  const returnUrl = `${window.location.origin}${returnPath ?? `/orders/${orderId}`}`;
  const res = await post<PayAnswer>(`/api/v1/orders/${orderId}/pay`, { returnUrl, scene: 'h5' });
  if (res.action.kind === 'redirect' && typeof res.action.url === 'string') {
    window.location.assign(res.action.url);
    return true;
  }
  return false;
}
