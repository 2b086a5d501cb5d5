import type { Hours, PoolSettings, RandomReturn, Settings, SpendTier } from './types.ts';

/**
 * The defaults of docs/models/simulator.md. Returns a fresh object each call so callers may keep it.
 *
 * @example defaultSettings().settleAfterDays // 7
 */
export function defaultSettings(): Settings {
  return {
    settleAfterDays: 7,
    referral: {
      enabled: true,
      everyN: 3,
      repeat: true,
      minOrderFen: 0,
      productId: null,
      withinDays: null,
      budgetFen: null,
      reward: { form: 'cash', fixedFen: 5000 },
    },
    commission: { enabled: false, depth: 1, level1Pct: 10, level2Pct: 0, storeRecruitPct: 0 },
    cashback: { enabled: false, form: 'points', pointsPerYuan: 0.05, pct: 0 },
    points: { fenPerPoint: 100, expiryDays: null, expireAtYearEnd: false },
    queueRebate: {
      enabled: true,
      name: '排队返利',
      exchangeName: '兑换',
      queue: 'product',
      stores: 'each',
      cashiers: 'each',
      settleOn: 'paid',
      order: 'fifo',
      extractPct: 65,
      entitlementPct: 130,
      levelPct: {},
      lottery: null,
      deduction: 'participate',
      hours: null,
      perUserPerDay: null,
      perUserTotal: null,
      exchangeRate: { pointsPerYuan: 1, voucherPerYuan: 1 },
      randomReturn: null,
      clearing: null,
      paused: false,
      display: {
        queueId: true,
        progress: true,
        accumulated: true,
        pending: true,
        member: true,
        pendingAmount: true,
      },
      products: {},
      storeOverrides: {},
      cashierOverrides: {},
      pool: null,
    },
    members: { enabled: false, growthPerYuan: 1, levels: [] },
  };
}

/**
 * The value an optional part of the settings takes when a merchant switches it on in an
 * editor (it is `null`, absent or empty in {@link defaultSettings}). The console and any
 * other editor start from these, so a part switched on reads the same everywhere.
 *
 * @example settingPartDefaults().hours // { from: '10:00', to: '22:00' }
 */
export function settingPartDefaults() {
  const d = defaultSettings();
  return {
    /** One referral reward amount per kind; a cash reward defaults to the document's own. */
    referralAmount: {
      fixedFen: d.referral.reward.fixedFen ?? 5000,
      points: 500,
      pctOfOwnOrder: 100,
      pctOfFriendsPaid: 100,
    },
    pool: { poolPct: 60, entitlementPct: 110 } satisfies PoolSettings,
    hours: { from: '10:00', to: '22:00' } satisfies Hours,
    randomReturn: { cash: 1, points: 2 } satisfies RandomReturn,
    lotteryList: { pcts: [10, 20, 50] },
    lotteryRange: { minPct: 100, maxPct: 150 },
    spendTier: { days: 30, minFen: 200000, pct: 50 } satisfies SpendTier,
    /** A new member level sits this much growth above the top one (or at it, as the first). */
    levelGrowthStep: 1000,
  };
}
