import { describe, expect, it } from 'vitest';
import type { MembersSettings } from '../settings/types.ts';
import {
  growthOfOrder,
  levelBenefits,
  levelForGrowth,
  memberDiscountFen,
  memberStatus,
  multiplyPoints,
  raisedLevel,
} from './members.ts';

const level = (id: string, minGrowth: number, more = {}) => ({
  id,
  name: id.toUpperCase(),
  minGrowth,
  discountPct: 0,
  pointsMultiplier: 1,
  commissionPct: null,
  ...more,
});
const m: MembersSettings = {
  enabled: true,
  growthPerYuan: 1,
  levels: [level('silver', 1000), level('gold', 5000, { discountPct: 5, commissionPct: 15 })],
};

describe('members', () => {
  it('growth is ⌊paid yuan × growthPerYuan⌋, nothing when switched off', () => {
    expect(growthOfOrder(16850, m)).toBe(168);
    expect(growthOfOrder(16850, { ...m, growthPerYuan: 0.25 })).toBe(42);
    expect(growthOfOrder(99, m)).toBe(0);
    expect(growthOfOrder(16850, { ...m, enabled: false })).toBe(0);
  });

  it('the level for a growth value is the highest reached', () => {
    expect(levelForGrowth(m.levels, 999)).toBe(null);
    expect(levelForGrowth(m.levels, 1000)?.id).toBe('silver');
    expect(levelForGrowth(m.levels, 7000)?.id).toBe('gold');
  });

  it('levels only go up by themselves; unknown levels are kept', () => {
    expect(raisedLevel(null, 1200, m)).toBe('silver');
    expect(raisedLevel('silver', 6000, m)).toBe('gold');
    expect(raisedLevel('gold', 1200, m)).toBe('gold');
    expect(raisedLevel('silver', 10, m)).toBe('silver');
    expect(raisedLevel('vip', 9999, m)).toBe('vip');
    expect(raisedLevel(null, 9999, { ...m, enabled: false })).toBe(null);
  });

  it('benefits of a level; neutral without one', () => {
    expect(levelBenefits(m, 'gold')).toEqual({
      discountPct: 5,
      pointsMultiplier: 1,
      commissionPct: 15,
    });
    const none = { discountPct: 0, pointsMultiplier: 1, commissionPct: null };
    expect(levelBenefits(m, null)).toEqual(none);
    expect(levelBenefits(m, 'vip')).toEqual(none);
    expect(levelBenefits({ ...m, enabled: false }, 'gold')).toEqual(none);
  });

  it('discount and points multiplier round down, exactly', () => {
    expect(memberDiscountFen(16800, 5)).toBe(840);
    expect(memberDiscountFen(999, 2.5)).toBe(24);
    expect(memberDiscountFen(999, 0)).toBe(0);
    expect(multiplyPoints(7, 1.5)).toBe(10);
    expect(multiplyPoints(3, 1.1)).toBe(3); // 3.3000000000000003 in floats; exact here
    expect(multiplyPoints(10, 1.1)).toBe(11);
  });

  it('status: the next level and the growth it still needs', () => {
    expect(memberStatus(m, null, 200)).toEqual({
      level: null,
      levelName: null,
      growth: 200,
      next: { level: 'silver', name: 'SILVER', minGrowth: 1000, growthNeeded: 800 },
    });
    expect(memberStatus(m, 'silver', 1200).next).toMatchObject({
      level: 'gold',
      growthNeeded: 3800,
    });
    expect(memberStatus(m, 'gold', 6000)).toMatchObject({ levelName: 'GOLD', next: null });
    // an admin gave gold early: the next level is above gold (none)
    expect(memberStatus(m, 'gold', 0).next).toBe(null);
    expect(memberStatus({ ...m, enabled: false }, null, 0).next).toBe(null);
  });
});
