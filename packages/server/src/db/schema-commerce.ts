import type { Generated, Selectable } from 'kysely';
import type { Id, Json, Timestamp } from './schema.ts';

/** Tables of the commerce capability: cart, addresses, orders, payments, after-sale, withdrawals, reviews. */

export interface AddressesTable {
  id: Id;
  user_id: number;
  name: string;
  phone: string;
  province: Generated<string>;
  city: Generated<string>;
  district: Generated<string>;
  detail: string;
  is_default: Generated<boolean>;
  created_at: Timestamp;
}

export interface CartItemsTable {
  user_id: number;
  sku_id: number;
  qty: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type OrderState = 'pending_payment' | 'paid' | 'shipped' | 'completed' | 'cancelled';

export interface AddressSnapshot {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

export interface OrdersTable {
  id: Id;
  order_no: string;
  user_id: number;
  store_id: number | null;
  /** in-store payments: the cashier who asked for the amount (0052_cashier.sql) */
  cashier_id: Generated<number | null>;
  state: OrderState;
  items_fen: number;
  member_discount_fen: Generated<number>;
  coupon_fen: Generated<number>;
  coupon_id: number | null;
  points_fen: Generated<number>;
  points_used: Generated<number>;
  balance_fen: Generated<number>;
  payable_fen: number;
  points_transfer_id: number | null;
  balance_transfer_id: number | null;
  refunded_fen: Generated<number>;
  refunded_balance_fen: Generated<number>;
  refunded_points: Generated<number>;
  refund_status: Generated<'none' | 'partial' | 'full'>;
  address: Json<AddressSnapshot>;
  note: Generated<string>;
  payment_provider: string | null;
  created_at: Timestamp;
  pay_deadline: Timestamp;
  paid_at: Timestamp | null;
  shipped_at: Timestamp | null;
  carrier: string | null;
  tracking_no: string | null;
  completed_at: Timestamp | null;
  settle_at: Timestamp | null;
  settled_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  /** the buyer's member level when the order was placed (0062): its benefits apply */
  member_level: Generated<string | null>;
}

export interface OrderLinesTable {
  id: Id;
  order_id: number;
  product_id: number;
  sku_id: number;
  title: string;
  spec: Json<Record<string, string>>;
  image: string | null;
  unit_price_fen: number;
  qty: number;
  subtotal_fen: number;
  member_discount_fen: number;
  coupon_fen: number;
  points_fen: number;
  points: number;
  balance_fen: number;
  paid_fen: number;
  after_sale_qty: Generated<number>;
  refunded_qty: Generated<number>;
  refunded_fen: Generated<number>;
  refunded_balance_fen: Generated<number>;
  refunded_points: Generated<number>;
}

export interface PaymentsTable {
  id: Id;
  order_id: number;
  provider: string;
  out_trade_no: string;
  amount_fen: number;
  status: Generated<'pending' | 'paid' | 'closed'>;
  provider_trade_no: string | null;
  action: Json<unknown> | null;
  notification_id: string | null;
  created_at: Timestamp;
  paid_at: Timestamp | null;
  orphan_refund_no: string | null;
}

/** manual_review: the provider gave no final answer after the last poll; an operator acts (docs/payments.md). */
export type AfterSaleStatus =
  'pending' | 'rejected' | 'cancelled' | 'refunding' | 'manual_review' | 'refunded' | 'failed';

export interface AfterSalesTable {
  id: Id;
  order_id: number;
  user_id: number;
  kind: 'refund' | 'return_refund';
  status: AfterSaleStatus;
  reason: Generated<string>;
  refund_fen: Generated<number>;
  refund_balance_fen: Generated<number>;
  refund_points: Generated<number>;
  out_refund_no: string | null;
  provider: string | null;
  provider_refund_no: string | null;
  transfer_ids: Json<number[]>;
  reviewer_id: number | null;
  review_note: string | null;
  failure: string | null;
  created_at: Timestamp;
  reviewed_at: Timestamp | null;
  refunded_at: Timestamp | null;
}

export interface AfterSaleLinesTable {
  after_sale_id: number;
  order_line_id: number;
  qty: number;
  refund_fen: Generated<number>;
  refund_balance_fen: Generated<number>;
  refund_points: Generated<number>;
}

/** manual_review: as for after-sales, the payout had no final answer after the last poll. */
export type WithdrawalStatus =
  'pending' | 'paying' | 'manual_review' | 'paid' | 'rejected' | 'failed';

export interface WithdrawalsTable {
  id: Id;
  user_id: number;
  amount_fen: number;
  fee_fen: number;
  payout_fen: number;
  provider: string;
  payee: Json<Record<string, string>>;
  status: WithdrawalStatus;
  out_bill_no: string;
  provider_bill_no: string | null;
  reserve_transfer_id: number;
  fee_transfer_id: number | null;
  package_info: string | null;
  reviewer_id: number | null;
  review_note: string | null;
  failure: string | null;
  created_at: Timestamp;
  reviewed_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface ReviewsTable {
  id: Id;
  order_id: number;
  order_line_id: number;
  product_id: number;
  sku_id: number;
  user_id: number;
  rating: number;
  content: Generated<string>;
  created_at: Timestamp;
}

export interface CommerceTables {
  addresses: AddressesTable;
  cart_items: CartItemsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  payments: PaymentsTable;
  after_sales: AfterSalesTable;
  after_sale_lines: AfterSaleLinesTable;
  withdrawals: WithdrawalsTable;
  reviews: ReviewsTable;
}

export type Order = Selectable<OrdersTable>;
export type OrderLine = Selectable<OrderLinesTable>;
export type Payment = Selectable<PaymentsTable>;
export type AfterSale = Selectable<AfterSalesTable>;
export type Withdrawal = Selectable<WithdrawalsTable>;
