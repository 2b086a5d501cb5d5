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
  /** a refund request waits for review or is being refunded */
  afterSaleOpen: boolean;
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
  status: 'pending' | 'paying' | 'manual_review' | 'paid' | 'rejected' | 'failed';
  reviewNote: string | null;
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface AfterSale {
  id: number;
  orderId: number;
  orderNo: string;
  kind: 'refund' | 'return_refund';
  status:
    'pending' | 'rejected' | 'cancelled' | 'refunding' | 'manual_review' | 'refunded' | 'failed';
  reason: string;
  /** before approval: what approving would refund now */
  refundFen: number;
  refundBalanceFen: number;
  refundPoints: number;
  lines: { lineId: number; title: string; spec: Record<string, string>; qty: number }[];
  reviewNote: string | null;
  createdAt: string;
}

export interface Review {
  id: number;
  rating: number;
  content: string;
  spec: Record<string, string> | null;
  author: string;
  createdAt: string;
}

export interface ProductReviews {
  count: number;
  averageRating: number | null;
  items: Review[];
  page: number;
  pageSize: number;
}

export type RewardState = 'pending' | 'available' | 'cancelled';
export type RewardKind = 'commission' | 'cashback' | 'referral' | 'queue' | 'conversion';

export interface Reward {
  id: number;
  kind: RewardKind;
  asset: 'cash' | 'points' | 'voucher';
  amount: number;
  state: RewardState;
  reason: string;
  createdAt: string;
  resolvedAt: string | null;
  /** pending only: when every order it depends on passes its after-sale window; null while one is not completed */
  availableAt: string | null;
  orderId: number | null;
  queueId: string | null;
}

export interface Rewards {
  items: Reward[];
  totals: { asset: string; state: RewardState; amount: number }[];
}

export type EntryStatus = 'waiting' | 'done' | 'cancelled' | 'exchanged' | 'cleared' | 'converted';

/** A queue entry; a field is null when the merchant's display switches hide it. */
export interface QueueEntry {
  id: number;
  queueId: string | null;
  orderId: number;
  status: EntryStatus;
  entitlementFen: number;
  receivedFen: number | null;
  availableFen: number | null;
  pendingFen: number | null;
  waitingFen: number | null;
  progressPct: number | null;
  position: number | null;
  lotteryAvailable: boolean;
  canExchange: boolean;
}

export interface QueueEntries {
  name: string;
  exchangeName: string;
  paused: boolean;
  exchangeRate: { pointsPerYuan: number; voucherPerYuan: number };
  items: QueueEntry[];
}

export interface ReferralReward {
  form: 'cash' | 'points' | 'coupon';
  fixedFen?: number;
  points?: number;
  pctOfOwnOrder?: number;
  pctOfFriendsPaid?: number;
}

export interface ReferralProgress {
  enabled: boolean;
  everyN: number;
  inCurrentGroup: number;
  friendsCounted: number;
  friendsBound: number;
  rewardsEarned: number;
  reward: ReferralReward;
}

/** The parts of the rules document (docs/settings) the rules page explains. */
export interface RuleSettings {
  settleAfterDays: number;
  referral: {
    enabled: boolean;
    everyN: number;
    repeat: boolean;
    minOrderFen: number;
    productId: string | number | null;
    withinDays: number | null;
    budgetFen: number | null;
    reward: ReferralReward;
  };
  commission: {
    enabled: boolean;
    depth: number;
    level1Pct: number;
    level2Pct: number;
  };
  cashback: { enabled: boolean; form: 'points' | 'cash'; pointsPerYuan?: number; pct?: number };
  queueRebate: {
    enabled: boolean;
    name?: string;
    queue: 'mall' | 'product';
    settleOn: 'paid' | 'completed';
    order: 'fifo' | 'completedFirst';
    extractPct: number;
    entitlementPct: number;
    lottery: null | { pcts?: number[]; minPct?: number; maxPct?: number };
    exchangeRate: { pointsPerYuan: number; voucherPerYuan: number };
    clearing: null | 'daily' | 'weekly' | 'monthly';
    paused: boolean;
    pool: null | { poolPct: number; entitlementPct: number };
  };
}

export interface RuleVersion {
  id: number | null;
  effectiveAt: string;
  note: string;
  settings: RuleSettings;
}

export interface RulesAnswer {
  current: RuleVersion;
  upcoming: RuleVersion[];
}

export type ChargeStatus = 'pending' | 'paid' | 'expired';

/** A charge at a store's till, as the cashier sees it. */
export interface CashierCharge {
  id: number;
  code: string;
  amountFen: number;
  note?: string;
  status: ChargeStatus;
  payPath: string;
  paidAt?: string | null;
  orderId?: number | null;
  createdAt?: string;
}

/** A charge as the paying customer sees it (`GET /api/v1/charges/:code`). */
export interface PublicCharge {
  code: string;
  amountFen: number;
  storeName: string;
  status: ChargeStatus;
}
