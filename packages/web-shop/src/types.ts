export interface User {
  id: number;
  role: 'shopper' | 'cashier' | 'staff' | 'admin';
  nickname: string;
  phoneMasked: string | null;
  referralCode: string;
  referrerId: number | null;
  storeId: number | null;
  createdAt: string;
}

export interface SessionAnswer {
  user: User;
  csrfToken: string;
}

export interface Category {
  id: number;
  parentId: number | null;
  name: string;
  sort: number;
}

export interface ProductCard {
  id: number;
  title: string;
  subtitle: string;
  priceFen: number;
  image: string | null;
  sales: number;
  categoryId: number | null;
}

export interface Sku {
  id: number;
  spec: Record<string, string>;
  priceFen: number;
  stock: number;
}

export interface Product {
  id: number;
  title: string;
  subtitle: string;
  descriptionHtml: string;
  images: string[];
  priceFen: number;
  sales: number;
  categoryId: number | null;
  skus: Sku[];
}

export interface Balance {
  available: number;
  pendingIn: number;
  pendingOut: number;
}

export interface Wallet {
  cash: Balance;
  points: Balance;
  voucher: Balance;
}

export type MovementState = 'pending' | 'done' | 'cancelled' | 'reserved' | 'released';

export interface Movement {
  id: number;
  at: string;
  asset: string;
  amount: number;
  state: MovementState;
  reason: string;
  description: string;
  source: string | null;
}

export interface Referrals {
  referralCode: string;
  shareUrl: string;
  friends: { nickname: string; joinedAt: string | null }[];
}

export interface CartItem {
  skuId: number;
  productId: number;
  title: string;
  spec: Record<string, string>;
  image: string | null;
  unitPriceFen: number;
  qty: number;
  subtotalFen: number;
  available: boolean;
  stock: number;
}

export interface Cart {
  items: CartItem[];
  totalFen: number;
}

export interface Address {
  id: number;
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  isDefault: boolean;
}

export interface PreviewLine {
  skuId: number;
  productId: number;
  title: string;
  spec: Record<string, string>;
  image: string | null;
  unitPriceFen: number;
  qty: number;
  subtotalFen: number;
  paidFen: number;
  inStock: boolean;
}

export interface Preview {
  lines: PreviewLine[];
  itemsFen: number;
  memberDiscountFen: number;
  couponFen: number;
  pointsFen: number;
  pointsUsed: number;
  balanceFen: number;
  payableFen: number;
}

export type OrderState = 'pending_payment' | 'paid' | 'shipped' | 'completed' | 'cancelled';

export interface OrderLine {
  id: number;
  productId: number;
  skuId: number;
  title: string;
  spec: Record<string, string>;
  image: string | null;
  unitPriceFen: number;
  qty: number;
  subtotalFen: number;
  paidFen: number;
  afterSaleQty: number;
  refundedQty: number;
}

export interface Order {
  id: number;
  orderNo: string;
  userId: number;
  state: OrderState;
  refundStatus: 'none' | 'partial' | 'full';
  itemsFen: number;
  memberDiscountFen: number;
  couponFen: number;
  pointsFen: number;
  pointsUsed: number;
  balanceFen: number;
  payableFen: number;
  refundedFen: number;
  refundedBalanceFen: number;
  address: Omit<Address, 'id' | 'isDefault'>;
  note: string;
  createdAt: string;
  payDeadline: string;
  paidAt: string | null;
  shippedAt: string | null;
  carrier: string | null;
  trackingNo: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  lines: OrderLine[];
}

export interface PayAnswer {
  paymentId: number;
  outTradeNo: string;
  provider: string;
  amountFen: number;
  action: { kind: 'redirect'; url: string } | { kind: string; [k: string]: unknown };
}

export interface Withdrawal {
  id: number;
  amountFen: number;
  feeFen: number;
  payoutFen: number;
  provider: string;
  status: 'pending' | 'paying' | 'paid' | 'rejected' | 'failed';
  reviewNote: string | null;
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface AfterSale {
  id: number;
  orderId: number;
  kind: 'refund' | 'return_refund';
  status: 'pending' | 'rejected' | 'cancelled' | 'refunding' | 'refunded' | 'failed';
  reason: string;
  refundFen: number;
  refundBalanceFen: number;
  reviewNote: string | null;
  createdAt: string;
}
