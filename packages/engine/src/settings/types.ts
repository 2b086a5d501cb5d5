/**
 * The settings document of docs/models/simulator.md after validation (defaults filled in). The admin
 * console saves the same document; `validateSettings` turns raw JSON into this.
 */

export interface ReferralReward {
  form: 'cash' | 'points' | 'coupon';
  /** Exactly one amount is set. */
  fixedFen?: number;
  points?: number;
  pctOfOwnOrder?: number;
  pctOfFriendsPaid?: number;
}

export interface ReferralSettings {
  enabled: boolean;
  everyN: number;
  repeat: boolean;
  minOrderFen: number;
  productId: string | null;
  withinDays: number | null;
  budgetFen: number | null;
  reward: ReferralReward;
}

export interface CommissionSettings {
  enabled: boolean;
  /** 1 or 2 — deeper chains are illegal (docs/models/commission.md) and cannot be expressed. */
  depth: 1 | 2;
  level1Pct: number;
  level2Pct: number;
  storeRecruitPct: number;
}

export interface CashbackSettings {
  enabled: boolean;
  form: 'points' | 'cash';
  pointsPerYuan: number;
  pct: number;
}

/** Extension: how points are valued at checkout and when they expire. */
export interface PointsSettings {
  /** Value of one point when deducted at checkout (default 100 fen = 1 yuan). */
  fenPerPoint: number;
  /** Each grant expires this many days after it became available; null = never. */
  expiryDays: number | null;
  /** All points expire at 00:00 local on 1 January after the year they became available. */
  expireAtYearEnd: boolean;
}

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

/** Per product / store / cashier override: every field optional, unset = inherit. */
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

export interface DisplaySwitches {
  queueId: boolean;
  progress: boolean;
  accumulated: boolean;
  pending: boolean;
  member: boolean;
  pendingAmount: boolean;
}

export interface PoolSettings {
  poolPct: number;
  entitlementPct: number;
}

export interface QueueRebateSettings {
  enabled: boolean;
  name: string;
  exchangeName: string;
  queue: 'mall' | 'product';
  /** `all`: one queue `stores`; `each`: `store:<id>`. A map in the document means `each` + overrides. */
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
  display: DisplaySwitches;
  products: Record<string, QueueOverride>;
  storeOverrides: Record<string, QueueOverride>;
  cashierOverrides: Record<string, QueueOverride>;
  pool: PoolSettings | null;
}

/** One member level (会员等级) and its benefits; see docs/models/members.md. */
export interface MemberLevel {
  /** Stable id: what `users.member_level`, `setLevel` and `queueRebate.levelPct` use. */
  id: string;
  /** Shown to shoppers, e.g. 白银会员. */
  name: string;
  /** Growth value at which a member reaches this level (strictly increasing in the list). */
  minGrowth: number;
  /** Member discount on the goods price, percent (5 = 5 % off). */
  discountPct: number;
  /** Cashback points are multiplied by this (floor), e.g. 1.5. */
  pointsMultiplier: number;
  /** When set, replaces `commission.level1Pct` for commission paid to a referrer of this level. */
  commissionPct: number | null;
}

/** Members (docs/models/members.md): growth value from settled orders, automatic levels, their benefits. */
export interface MembersSettings {
  enabled: boolean;
  /** Growth value per paid yuan of a settled order (⌊paid yuan × growthPerYuan⌋). */
  growthPerYuan: number;
  /** Ordered by `minGrowth`, lowest first. */
  levels: MemberLevel[];
}

export interface Settings {
  settleAfterDays: number;
  referral: ReferralSettings;
  commission: CommissionSettings;
  cashback: CashbackSettings;
  points: PointsSettings;
  queueRebate: QueueRebateSettings;
  members: MembersSettings;
}

import type { FieldError } from './errors.ts';

export type { FieldError };

export type Validated<T, E = FieldError> = { ok: true; value: T } | { ok: false; errors: E[] };
