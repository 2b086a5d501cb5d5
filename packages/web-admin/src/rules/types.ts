/**
 * The settings document (SPEC §10, docs/models/settings.md) as the server returns it
 * after validation. The console edits this shape and sends it back through
 * `toDocument`, which folds the store/cashier override maps into `stores`/`cashiers`.
 */
export type Lottery = { pcts: number[] } | { minPct: number; maxPct: number };
export interface SpendTier {
  days: number;
  minFen: number;
  pct: number;
}
export interface Hours {
  from: string;
  to: string;
}
export interface RandomReturn {
  cash: number;
  points: number;
}
export interface QueueOverride {
  enabled?: boolean;
  extractPct?: number;
  entitlementPct?: number;
  levelPct?: Record<string, number>;
  lottery?: Lottery | null;
  spendTiers?: SpendTier[];
  deduction?: 'participate' | 'exclude';
  hours?: Hours | null;
  perUserPerDay?: number | null;
  perUserTotal?: number | null;
  randomReturn?: RandomReturn | null;
}
export interface ReferralReward {
  form: 'cash' | 'points' | 'coupon';
  fixedFen?: number;
  points?: number;
  pctOfOwnOrder?: number;
  pctOfFriendsPaid?: number;
}
export interface Settings {
  settleAfterDays: number;
  referral: {
    enabled: boolean;
    everyN: number;
    repeat: boolean;
    minOrderFen: number;
    productId: string | null;
    withinDays: number | null;
    budgetFen: number | null;
    reward: ReferralReward;
  };
  commission: {
    enabled: boolean;
    depth: 1 | 2;
    level1Pct: number;
    level2Pct: number;
    storeRecruitPct: number;
  };
  cashback: { enabled: boolean; form: 'points' | 'cash'; pointsPerYuan: number; pct: number };
  points: { fenPerPoint: number; expiryDays: number | null; expireAtYearEnd: boolean };
  queueRebate: {
    enabled: boolean;
    name: string;
    exchangeName: string;
    queue: 'mall' | 'product';
    stores: 'all' | 'each';
    cashiers: 'all' | 'each';
    settleOn: 'paid' | 'completed';
    order: 'fifo' | 'completedFirst';
    extractPct: number;
    entitlementPct: number;
    levelPct: Record<string, number>;
    lottery: Lottery | null;
    deduction: 'participate' | 'exclude';
    hours: Hours | null;
    perUserPerDay: number | null;
    perUserTotal: number | null;
    exchangeRate: { pointsPerYuan: number; voucherPerYuan: number };
    randomReturn: RandomReturn | null;
    clearing: null | 'daily' | 'weekly' | 'monthly';
    paused: boolean;
    display: {
      queueId: boolean;
      progress: boolean;
      accumulated: boolean;
      pending: boolean;
      member: boolean;
      pendingAmount: boolean;
    };
    products: Record<string, QueueOverride>;
    storeOverrides: Record<string, QueueOverride>;
    cashierOverrides: Record<string, QueueOverride>;
    pool: { poolPct: number; entitlementPct: number } | null;
  };
}

export interface RuleVersion {
  id: number | null;
  settings: Settings;
  effectiveAt: string;
  note: string;
}

export interface RulesAnswer {
  current: RuleVersion;
  versions: {
    id: number;
    effectiveAt: string;
    note: string;
    createdBy: number | null;
    createdAt: string;
    inForce: boolean;
    announced: boolean;
  }[];
}

/** `POST /api/v1/admin/rules/preview`: the simulator run over the shop's own recent orders. */
export interface PreviewAnswer {
  window: { from: string; to: string; orders: number; users: number };
  result: {
    merchant: { revenueFen: number; rewardsPaidFen: number; outstandingEntitlementFen: number };
    queues?: {
      id: string;
      entries: { status: string; entitlementFen: number; receivedFen: number }[];
    }[];
  };
  summary: {
    rewardsPendingFen: number;
    rewardsAvailableFen: number;
    rewardsPaidFen: number;
    outstandingEntitlementFen: number;
    revenueFen: number;
    entries: { waiting: number; done: number; total: number };
  };
}

export interface FieldProblem {
  field: string;
  reason: string;
}

/**
 * The document to send: the server's normalized form keeps store and cashier overrides
 * in `storeOverrides`/`cashierOverrides`, but the document it accepts has them as a map in
 * `stores`/`cashiers` (a map means `each` plus those overrides).
 */
export function toDocument(s: Settings): unknown {
  const { storeOverrides, cashierOverrides, ...q } = s.queueRebate;
  const scope = (mode: 'all' | 'each', map: Record<string, QueueOverride>) =>
    mode === 'each' && Object.keys(map).length > 0 ? map : mode;
  return {
    ...s,
    queueRebate: {
      ...q,
      stores: scope(q.stores, storeOverrides),
      cashiers: scope(q.cashiers, cashierOverrides),
    },
  };
}

/** Reads a value at a dotted path. */
export function getIn(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Returns a copy with the value at a dotted path replaced; `undefined` removes the key. */
export function setIn<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const base = (obj && typeof obj === 'object' ? obj : {}) as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...base };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head!];
    else copy[head!] = value;
  } else {
    copy[head!] = setIn(base[head!], rest.join('.'), value);
  }
  return copy as T;
}
