export type Role = 'shopper' | 'cashier' | 'staff' | 'admin';

export interface User {
  id: number;
  role: Role;
  nickname: string;
  phoneMasked: string | null;
  referralCode: string;
  referrerId: number | null;
  storeId: number | null;
  createdAt: string;
  status?: 'active' | 'disabled' | 'deleted';
}

export interface Balance {
  available: number;
  pendingIn: number;
  pendingOut: number;
}

export interface UserTree {
  user: User;
  referrer: User | null;
  friends: (User & { referredAt: string | null; firstPaidAt: string | null })[];
  balances: { cash: Balance; points: Balance; voucher: Balance };
}

export interface Store {
  id: number;
  name: string;
  address: string;
  status: 'active' | 'closed';
  created_at: string;
}

export interface AuditEntry {
  id: number;
  actor_id: number | null;
  actor_role: string;
  action: string;
  object_type: string;
  object_id: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
  created_at: string;
}

export interface LedgerReport {
  balanced: boolean;
  assets: { asset: string; postedSum: number; pendingSum: number }[];
  mismatchedAccounts: number[];
  overdrawnAccounts: number[];
  transfers: number;
}

export interface Dashboard {
  from: string;
  to: string;
  timezone: string;
  users: { total: number; new: number; active: number };
  /** orders paid in the range; gmvFen = paidFen − refundedFen (docs/web.md) */
  sales: {
    orders: number;
    paidFen: number;
    refundedFen: number;
    gmvFen: number;
    avgOrderFen: number;
  };
  referral: { signUps: number; firstPurchases: number };
  rewards: {
    pendingFen: number;
    availableFen: number;
    withdrawnFen: number;
    pendingPoints: number;
    availablePoints: number;
  };
  queue: { outstandingEntitlementFen: number };
  daily: {
    date: string;
    newUsers: number;
    activeUsers: number;
    orders: number;
    paidFen: number;
    refundedFen: number;
    gmvFen: number;
  }[];
}

export interface Category {
  id: number;
  parentId: number | null;
  name: string;
  sort: number;
  productCount: number;
}

export interface ProductRow {
  id: number;
  title: string;
  subtitle: string;
  image: string | null;
  categoryId: number | null;
  storeId: number | null;
  supplier: string | null;
  onShelf: boolean;
  priceFen: number;
  maxPriceFen: number;
  minCostFen: number | null;
  stock: number;
  skuCount: number;
  sales: number;
  updatedAt: string;
}

export interface Sku {
  id: number;
  spec: Record<string, string>;
  priceFen: number;
  costFen: number | null;
  profitFen?: number | null;
  stock: number;
}

export interface ProductDetail {
  id: number;
  title: string;
  subtitle: string;
  categoryId: number | null;
  storeId: number | null;
  supplier: string | null;
  descriptionHtml: string;
  images: string[];
  onShelf: boolean;
  priceFen: number;
  sales: number;
  createdAt: string;
  updatedAt: string;
  skus: Sku[];
}

export interface QueuesReport {
  outstandingFen: number;
  queues: {
    queueId: string;
    entries: number;
    waiting: number;
    outstandingFen: number;
    receivedFen: number;
  }[];
  rewards: {
    kind: string;
    asset: string;
    state: 'pending' | 'available' | 'cancelled';
    amount: number;
  }[];
}
