import type { AppDeps } from '../http/deps.ts';

/**
 * Commerce settings: how long an order may stay unpaid, when shipped orders complete by
 * themselves, the after-sale window, the points deduction rule and the withdrawal rule.
 * Read from the environment (docs/commerce.md lists the variables) with safe defaults;
 * tests override them per app with `setCommerceConfig`.
 */
export interface CommerceConfig {
  /** FANLI_ORDER_PAY_MINUTES: unpaid orders are cancelled after this (stock released) */
  payMinutes: number;
  /** FANLI_ORDER_AUTO_COMPLETE_DAYS: shipped orders complete by themselves after this */
  autoCompleteDays: number;
  points: {
    /** FANLI_POINTS_DEDUCTION: points may pay part of an order */
    enabled: boolean;
    /** FANLI_POINTS_MAX_SHARE_PCT: the largest share of the order points may pay, after coupons */
    maxSharePct: number;
  };
  withdrawal: {
    /** FANLI_WITHDRAW_MIN_FEN */
    minFen: number;
    /** FANLI_WITHDRAW_MAX_FEN */
    maxFen: number;
    /** FANLI_WITHDRAW_FEE_PCT: fee = ⌊amount × pct %⌋, at least minFeeFen */
    feePct: number;
    /** FANLI_WITHDRAW_MIN_FEE_FEN */
    minFeeFen: number;
  };
  /** FANLI_PAYMENT_PROVIDER: which enabled provider new payments use (default: the first) */
  paymentProvider: string | undefined;
  /** minutes after which a pending payment is asked about (reconciler) */
  reconcileAfterMinutes: number;
}

type Env = Record<string, string | undefined>;

function num(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  decimals = 0,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  const scaled = n * 10 ** decimals;
  if (!Number.isFinite(n) || n < min || n > max || Math.abs(scaled - Math.round(scaled)) > 1e-9) {
    throw new Error(
      `${name}: must be a number from ${min} to ${max} with at most ${decimals} decimals, got "${raw}"`,
    );
  }
  return n;
}

export function commerceConfigFromEnv(env: Env = process.env): CommerceConfig {
  if (env.FANLI_POINTS_PER_YUAN !== undefined && env.FANLI_POINTS_PER_YUAN !== '') {
    // a second, different value of a point would price checkout apart from every reward
    throw new Error(
      "FANLI_POINTS_PER_YUAN is no longer read: what a point is worth is the rules' points.fenPerPoint (console → rules → points; docs/models/cashback-points.md). Remove the variable.",
    );
  }
  return {
    payMinutes: num(env, 'FANLI_ORDER_PAY_MINUTES', 30, 1, 7 * 24 * 60),
    autoCompleteDays: num(env, 'FANLI_ORDER_AUTO_COMPLETE_DAYS', 10, 1, 60),
    points: {
      enabled: (env.FANLI_POINTS_DEDUCTION ?? 'true') !== 'false',
      maxSharePct: num(env, 'FANLI_POINTS_MAX_SHARE_PCT', 50, 0, 100, 2),
    },
    withdrawal: {
      minFen: num(env, 'FANLI_WITHDRAW_MIN_FEN', 100, 1, 100_000_000),
      maxFen: num(env, 'FANLI_WITHDRAW_MAX_FEN', 2_000_000, 1, 1_000_000_000),
      feePct: num(env, 'FANLI_WITHDRAW_FEE_PCT', 0, 0, 50, 2),
      minFeeFen: num(env, 'FANLI_WITHDRAW_MIN_FEE_FEN', 0, 0, 100_000),
    },
    paymentProvider: env.FANLI_PAYMENT_PROVIDER || undefined,
    reconcileAfterMinutes: num(env, 'FANLI_PAYMENT_RECONCILE_MINUTES', 5, 1, 24 * 60),
  };
}

const configs = new WeakMap<AppDeps, CommerceConfig>();

/** The commerce settings of one running app (read from the environment once). */
export function commerceConfig(deps: AppDeps): CommerceConfig {
  let c = configs.get(deps);
  if (!c) {
    c = commerceConfigFromEnv();
    configs.set(deps, c);
  }
  return c;
}

/** Tests and tools: replace some settings of one app. */
export function setCommerceConfig(
  deps: AppDeps,
  patch: Partial<Omit<CommerceConfig, 'points' | 'withdrawal'>> & {
    points?: Partial<CommerceConfig['points']>;
    withdrawal?: Partial<CommerceConfig['withdrawal']>;
  },
): CommerceConfig {
  const base = commerceConfig(deps);
  const next: CommerceConfig = {
    ...base,
    ...patch,
    points: { ...base.points, ...patch.points },
    withdrawal: { ...base.withdrawal, ...patch.withdrawal },
  };
  configs.set(deps, next);
  return next;
}

export const DAY_MS = 24 * 3_600_000;
export const MINUTE_MS = 60_000;
