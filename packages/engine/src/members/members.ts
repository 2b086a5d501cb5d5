import { pctOfFen, toScaled, unitsPerYuanOfFen } from '../money/money.ts';
import type { MemberLevel, MembersSettings } from '../settings/types.ts';

/**
 * Members (会员): growth value earned by settled orders, levels reached
 * automatically, and each level's benefits. Pure functions; the simulator and the server
 * call the same ones (docs/models/members.md).
 */

/** What a level gives at checkout and on rewards; the neutral benefits when none apply. */
export interface MemberBenefits {
  discountPct: number;
  pointsMultiplier: number;
  commissionPct: number | null;
}

const NONE: MemberBenefits = { discountPct: 0, pointsMultiplier: 1, commissionPct: null };

/**
 * Growth value an order earns when it settles: ⌊paid yuan × growthPerYuan⌋; nothing
 * while members are switched off.
 *
 * @example growthOfOrder(16850, { enabled: true, growthPerYuan: 1, levels: [] }) // 168
 * @example growthOfOrder(16850, { enabled: false, growthPerYuan: 1, levels: [] }) // 0
 */
export function growthOfOrder(paidFen: number, members: MembersSettings): number {
  return members.enabled ? unitsPerYuanOfFen(paidFen, members.growthPerYuan) : 0;
}

/**
 * The highest level whose `minGrowth` the growth value reaches (levels are listed lowest
 * first), or null when it reaches none.
 *
 * @example levelForGrowth([{ id: 'silver', minGrowth: 1000, ... }, { id: 'gold', minGrowth: 5000, ... }], 1200)?.id // 'silver'
 */
export function levelForGrowth(levels: readonly MemberLevel[], growth: number): MemberLevel | null {
  let found: MemberLevel | null = null;
  for (const level of levels) if (level.minGrowth <= growth) found = level;
  return found;
}

/** Position of a level in the configured list; -1 for no level or a level not in the list. */
const rankOf = (levels: readonly MemberLevel[], id: string | null): number =>
  id === null ? -1 : levels.findIndex((l) => l.id === id);

/**
 * The member's level after their growth value changed: raised to the level the growth
 * reaches when that ranks above the current one, otherwise unchanged — levels never go
 * down by themselves. A level an admin gave that is not in the configured list is kept
 * (the rule cannot rank it); members switched off change nothing.
 *
 * @example raisedLevel(null, 1200, { enabled: true, growthPerYuan: 1, levels: [silver, gold] }) // 'silver'
 * @example raisedLevel('gold', 1200, { enabled: true, growthPerYuan: 1, levels: [silver, gold] }) // 'gold'
 */
export function raisedLevel(
  current: string | null,
  growth: number,
  members: MembersSettings,
): string | null {
  if (!members.enabled) return current;
  const rank = rankOf(members.levels, current);
  if (current !== null && rank === -1) return current;
  const reached = levelForGrowth(members.levels, growth);
  if (!reached) return current;
  return rankOf(members.levels, reached.id) > rank ? reached.id : current;
}

/**
 * The benefits of a level under the given settings; neutral (no discount, ×1 points,
 * the plain commission pct) for no level, an unknown level, or members switched off.
 *
 * @example levelBenefits({ enabled: true, growthPerYuan: 1, levels: [{ id: 'gold', discountPct: 5, pointsMultiplier: 2, commissionPct: 15, ... }] }, 'gold')
 * // { discountPct: 5, pointsMultiplier: 2, commissionPct: 15 }
 */
export function levelBenefits(members: MembersSettings, level: string | null): MemberBenefits {
  if (!members.enabled || level === null) return NONE;
  const l = members.levels.find((x) => x.id === level);
  if (!l) return NONE;
  return {
    discountPct: l.discountPct,
    pointsMultiplier: l.pointsMultiplier,
    commissionPct: l.commissionPct,
  };
}

/**
 * The member discount on a goods amount, rounded down to the fen with the engine's one
 * rounding function (the merchant keeps the remainder).
 *
 * @example memberDiscountFen(16800, 5) // 840
 * @example memberDiscountFen(999, 2.5) // 24
 */
export function memberDiscountFen(goodsFen: number, discountPct: number): number {
  return discountPct > 0 ? pctOfFen(goodsFen, discountPct) : 0;
}

/**
 * Cashback points times the level's multiplier, rounded down (exact: the multiplier has
 * at most 2 decimals).
 *
 * @example multiplyPoints(7, 1.5) // 10
 * @example multiplyPoints(8, 2) // 16
 */
export function multiplyPoints(points: number, multiplier: number): number {
  const scaled = toScaled(multiplier, 2);
  if (scaled === null) throw new RangeError(`invalid multiplier ${multiplier}`);
  return Number((BigInt(points) * BigInt(scaled)) / 100n);
}

/** What a shopper sees about their membership: where they are and what is next. */
export interface MemberStatus {
  level: string | null;
  /** The level's display name; null when there is no level or it is not configured. */
  levelName: string | null;
  growth: number;
  next: { level: string; name: string; minGrowth: number; growthNeeded: number } | null;
}

/**
 * The member's status for the shop: the next level is the first configured level above
 * the current one that the growth value has not reached yet.
 *
 * @example memberStatus(members, 'silver', 1200)
 * // { level: 'silver', levelName: '白银会员', growth: 1200,
 * //   next: { level: 'gold', name: '黄金会员', minGrowth: 5000, growthNeeded: 3800 } }
 */
export function memberStatus(
  members: MembersSettings,
  level: string | null,
  growth: number,
): MemberStatus {
  const current = members.levels.find((l) => l.id === level);
  const rank = rankOf(members.levels, level);
  const unknown = level !== null && rank === -1;
  const next = unknown
    ? undefined
    : members.levels.find((l, i) => i > rank && l.minGrowth > growth);
  return {
    level,
    levelName: current?.name ?? null,
    growth,
    next:
      members.enabled && next
        ? {
            level: next.id,
            name: next.name,
            minGrowth: next.minGrowth,
            growthNeeded: next.minGrowth - growth,
          }
        : null,
  };
}
