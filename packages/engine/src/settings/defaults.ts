import type { Settings } from './types.ts';

/**
 * The defaults of SPEC §10. Returns a fresh object each call so callers may keep it.
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
