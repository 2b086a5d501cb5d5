import type { Tx } from '../db/tx.ts';
import { registryOf } from '../app/registry.ts';
import type { Order } from '../db/schema-commerce.ts';

/**
 * Order events for the rule engine (referral, commission, queue rebate, cashback). A
 * listener is called inside the transaction that changes the order, so its ledger
 * transfers commit or roll back with the change; a throw rolls the change back.
 *
 * - `onPaid`: the order was paid (the provider took `payableFen`; points/balance posted).
 *   Rewards are born pending here.
 * - `onCompleted`: the buyer confirmed receipt or the auto-complete job ran; the
 *   after-sale window runs until `settleAt`.
 * - `onRefunded`: an after-sale refund succeeded (`withinWindow`: the order had not
 *   settled — a request made inside the window holds it until approved). Cancel every
 *   still pending reward that depends on the order, inside the window or after it.
 * - `onSettled`: the after-sale window ended (`settleAt` passed, job `order.settle`).
 *   Rewards depending on this order may become available.
 *
 * A module declares its listeners in the module table (`orderListeners`); they run in
 * table order, with the registry the transaction's database handle carries.
 */
export interface OrderPaidEvent {
  orderId: number;
  userId: number;
  storeId: number | null;
  itemsFen: number;
  payableFen: number;
  pointsUsed: number;
  balanceFen: number;
  at: Date;
  /** the order row as just updated and its lines in id order, so listeners need not re-read them */
  order: Order;
  lines: { id: number; product_id: number; qty: number; paid_fen: number }[];
}
export interface OrderCompletedEvent {
  orderId: number;
  userId: number;
  completedAt: Date;
  settleAt: Date;
}
export interface OrderRefundedEvent {
  orderId: number;
  userId: number;
  afterSaleId: number;
  refundFen: number;
  refundBalanceFen: number;
  refundPoints: number;
  lines: { orderLineId: number; productId: number; qty: number; refundFen: number }[];
  /** every unit of the order is now refunded */
  full: boolean;
  /** the order had not settled: its window was still running, or held by this request */
  withinWindow: boolean;
  at: Date;
}
export interface OrderSettledEvent {
  orderId: number;
  userId: number;
  at: Date;
}

export interface OrderListener {
  name: string;
  onPaid?(tx: Tx, e: OrderPaidEvent): Promise<void>;
  onCompleted?(tx: Tx, e: OrderCompletedEvent): Promise<void>;
  onRefunded?(tx: Tx, e: OrderRefundedEvent): Promise<void>;
  onSettled?(tx: Tx, e: OrderSettledEvent): Promise<void>;
}

export async function emitPaid(tx: Tx, e: OrderPaidEvent) {
  for (const l of registryOf(tx).orderListeners) await l.onPaid?.(tx, e);
}
export async function emitCompleted(tx: Tx, e: OrderCompletedEvent) {
  for (const l of registryOf(tx).orderListeners) await l.onCompleted?.(tx, e);
}
export async function emitRefunded(tx: Tx, e: OrderRefundedEvent) {
  for (const l of registryOf(tx).orderListeners) await l.onRefunded?.(tx, e);
}
export async function emitSettled(tx: Tx, e: OrderSettledEvent) {
  for (const l of registryOf(tx).orderListeners) await l.onSettled?.(tx, e);
}
