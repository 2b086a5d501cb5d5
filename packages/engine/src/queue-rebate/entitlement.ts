import { pctToHundredths } from '../money/money.ts';
import type { Rng } from '../time/rng.ts';
import type { Lottery, QueueOverride, QueueRebateSettings } from '../settings/types.ts';

/**
 * Settings layers for one order unit, most specific first: product override, store or
 * cashier override, then the plugin's base settings.
 */
export type QueueChain = readonly QueueOverride[];

/**
 * Build the chain for a unit. `base` contributes its own fields (its `enabled` is the
 * master switch and is not part of the chain).
 *
 * @example buildChain(defaultSettings().queueRebate, { extractPct: 50 }).length // 2
 */
export function buildChain(
  base: QueueRebateSettings,
  ...overrides: (QueueOverride | undefined)[]
): QueueChain {
  const baseLayer: QueueOverride = {
    extractPct: base.extractPct,
    entitlementPct: base.entitlementPct,
    levelPct: base.levelPct,
    lottery: base.lottery,
    deduction: base.deduction,
    hours: base.hours,
    perUserPerDay: base.perUserPerDay,
    perUserTotal: base.perUserTotal,
    randomReturn: base.randomReturn,
  };
  return [...overrides.filter((o): o is QueueOverride => o !== undefined), baseLayer];
}

/**
 * The first layer that sets `key` wins; an explicit `null` counts as set.
 *
 * @example pick([{ extractPct: 10 }, { extractPct: 65 }], 'extractPct') // 10
 */
export function pick<K extends keyof QueueOverride>(
  chain: QueueChain,
  key: K,
): QueueOverride[K] | undefined {
  for (const layer of chain) {
    if (layer[key] !== undefined) return layer[key];
  }
  return undefined;
}

/** What the entitlement chain needs to know about the buyer at order time. */
export interface EntitlementContext {
  level: string | null;
  /** The buyer's completed, not refunded spend in the last `days` days, in fen. */
  spendFen: (days: number) => number;
  /** The pct the user drew in the lottery for this entry, in hundredths, if any. */
  drawnPctH: number | null;
}

export type PctSource = 'level' | 'spendTiers' | 'lottery' | 'pct';

/**
 * Entitlement pct by the priority chain of docs/models/queue-rebate.md: member-level pct
 * (product, then base) → accumulated-spend tiers (highest met) → lottery draw → fixed
 * pct (product, then base). First that is set wins.
 *
 * @example
 * resolveEntitlementPctH(buildChain(defaultSettings().queueRebate), { level: null, spendFen: () => 0, drawnPctH: null })
 * // { pctH: 13000, source: 'pct' }
 */
export function resolveEntitlementPctH(
  chain: QueueChain,
  ctx: EntitlementContext,
): { pctH: number; source: PctSource } {
  if (ctx.level !== null) {
    for (const layer of chain) {
      const p = layer.levelPct?.[ctx.level];
      if (p !== undefined) return { pctH: pctToHundredths(p), source: 'level' };
    }
  }
  for (const layer of chain) {
    if (!layer.spendTiers || layer.spendTiers.length === 0) continue;
    let best = -1;
    for (const tier of layer.spendTiers) {
      if (ctx.spendFen(tier.days) >= tier.minFen) best = Math.max(best, pctToHundredths(tier.pct));
    }
    if (best >= 0) return { pctH: best, source: 'spendTiers' };
  }
  if (ctx.drawnPctH !== null && lotteryOf(chain)) return { pctH: ctx.drawnPctH, source: 'lottery' };
  return { pctH: pctToHundredths(pick(chain, 'entitlementPct') ?? 0), source: 'pct' };
}

/** The lottery that applies to a chain (first layer that sets one; null = none). */
export function lotteryOf(chain: QueueChain): Lottery | null {
  return pick(chain, 'lottery') ?? null;
}

/**
 * Draw a lottery pct (hundredths) with the seeded RNG: one of the fixed pcts, or a
 * uniform value in [minPct, maxPct] at 0.01 % steps.
 *
 * @example drawLotteryPctH({ pcts: [10, 20, 50] }, createRng(1)) // one of 1000, 2000, 5000
 */
export function drawLotteryPctH(lottery: Lottery, rng: Rng): number {
  if ('pcts' in lottery) {
    const p = lottery.pcts[rng.int(lottery.pcts.length)] ?? lottery.pcts[0] ?? 0;
    return pctToHundredths(p);
  }
  const min = pctToHundredths(lottery.minPct);
  const max = pctToHundredths(lottery.maxPct);
  return min + rng.int(max - min + 1);
}

/**
 * Is a local time (minutes since midnight) inside an `{from, to}` window? `to` is
 * exclusive; a window with from > to wraps past midnight.
 *
 * @example inHours(600, { from: '10:00', to: '22:00' }) // true
 * @example inHours(1320, { from: '10:00', to: '22:00' }) // false
 */
export function inHours(minuteOfDay: number, hours: { from: string; to: string }): boolean {
  const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  const from = toMin(hours.from);
  const to = toMin(hours.to);
  return from < to
    ? minuteOfDay >= from && minuteOfDay < to
    : minuteOfDay >= from || minuteOfDay < to;
}
