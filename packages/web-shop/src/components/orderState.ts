import type { Order, OrderState } from '../types.ts';

type TagColor = 'default' | 'primary' | 'success' | 'warning' | 'danger';

/** What the shopper is told an order is at: its after-sale state comes before its shipping. */
export type ShownState = OrderState | 'refunding' | 'refunded';

export function shownState(o: Pick<Order, 'state' | 'refundStatus' | 'afterSaleOpen'>): ShownState {
  if (o.refundStatus === 'full') return 'refunded';
  if (o.afterSaleOpen) return 'refunding';
  return o.state;
}

export const STATE_COLOR: Record<ShownState, TagColor> = {
  pending_payment: 'warning',
  paid: 'primary',
  shipped: 'primary',
  completed: 'success',
  cancelled: 'default',
  refunding: 'warning',
  refunded: 'default',
};
