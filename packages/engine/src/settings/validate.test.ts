import { describe, expect, it } from 'vitest';
import { defaultSettings } from './defaults.ts';
import { settingErrorMessage } from './errors.ts';
import { formatErrors, validateSettings } from './validate.ts';

const errorsOf = (input: unknown) => {
  const r = validateSettings(input);
  return r.ok ? [] : r.errors;
};
/** The errors as the command line words them. */
const worded = (input: unknown) =>
  errorsOf(input).map((e) => ({ path: e.path, message: settingErrorMessage(e) }));

describe('validateSettings', () => {
  it('fills defaults for an empty or partial document', () => {
    const r = validateSettings({ commission: { enabled: true } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.settleAfterDays).toBe(7);
    expect(r.value.commission).toEqual({ ...defaultSettings().commission, enabled: true });
    expect(r.value.queueRebate.extractPct).toBe(65);
  });

  it('accepts the documented settings example as written', () => {
    const doc = {
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
      cashback: { enabled: false, form: 'points', pointsPerYuan: 0.05 },
      queueRebate: {
        enabled: true,
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
        products: { P1: { extractPct: 65, entitlementPct: 130 } },
        pool: null,
      },
    };
    expect(errorsOf(doc)).toEqual([]);
  });

  it('makes commission depth 3 impossible', () => {
    expect(errorsOf({ commission: { depth: 3 } })).toEqual([
      { path: 'commission.depth', code: 'commissionDepth', params: {} },
    ]);
    expect(worded({ commission: { depth: 3 } })).toEqual([
      { path: 'commission.depth', message: 'must be 1 or 2' },
    ]);
    expect(formatErrors(errorsOf({ commission: { depth: 3 } }))).toBe(
      'commission.depth: must be 1 or 2',
    );
    expect(errorsOf({ commission: { depth: 0 } })[0]?.path).toBe('commission.depth');
  });

  it('rejects negative and over-precise percentages, naming the field', () => {
    expect(errorsOf({ queueRebate: { extractPct: -1 } })[0]?.path).toBe('queueRebate.extractPct');
    expect(errorsOf({ queueRebate: { entitlementPct: 130.123 } })[0]?.path).toBe(
      'queueRebate.entitlementPct',
    );
    expect(errorsOf({ commission: { level1Pct: -10 } })[0]?.path).toBe('commission.level1Pct');
    expect(errorsOf({ queueRebate: { products: { P1: { extractPct: -5 } } } })[0]?.path).toBe(
      'queueRebate.products.P1.extractPct',
    );
    expect(errorsOf({ queueRebate: { levelPct: { vip: -3 } } })[0]?.path).toBe(
      'queueRebate.levelPct.vip',
    );
  });

  it('reports unknown fields at any depth', () => {
    expect(worded({ queueRebate: { foo: 1 } })).toEqual([
      { path: 'queueRebate.foo', message: 'unknown field' },
    ]);
    expect(worded({ bar: true })).toEqual([{ path: 'bar', message: 'unknown field' }]);
    expect(errorsOf({ queueRebate: { products: { P1: { nope: 1 } } } })[0]?.path).toBe(
      'queueRebate.products.P1.nope',
    );
  });

  it('checks enums, lottery, hours, random return and referral reward', () => {
    expect(worded({ queueRebate: { queue: 'global' } })[0]).toEqual({
      path: 'queueRebate.queue',
      message: 'must be one of "mall", "product"',
    });
    expect(errorsOf({ queueRebate: { lottery: { minPct: 150, maxPct: 100 } } })[0]?.path).toBe(
      'queueRebate.lottery.maxPct',
    );
    expect(errorsOf({ queueRebate: { lottery: { pcts: [] } } })[0]?.path).toBe(
      'queueRebate.lottery.pcts',
    );
    expect(errorsOf({ queueRebate: { hours: { from: '25:00', to: '10:00' } } })[0]?.path).toBe(
      'queueRebate.hours.from',
    );
    expect(errorsOf({ queueRebate: { randomReturn: { cash: 0, points: 0 } } })[0]?.path).toBe(
      'queueRebate.randomReturn',
    );
    expect(
      errorsOf({ referral: { reward: { form: 'cash', fixedFen: 1, pctOfOwnOrder: 100 } } })[0]
        ?.path,
    ).toBe('referral.reward');
    expect(errorsOf({ referral: { reward: { form: 'cash', points: 5 } } })[0]?.path).toBe(
      'referral.reward.points',
    );
    expect(errorsOf({ settleAfterDays: -1 })[0]?.path).toBe('settleAfterDays');
    expect(errorsOf({ queueRebate: { clearing: 'hourly' } })[0]?.path).toBe('queueRebate.clearing');
  });

  it('reads store and cashier override maps (which mean per-store / per-cashier queues)', () => {
    const r = validateSettings({
      queueRebate: { stores: { S1: { entitlementPct: 150 } }, cashiers: 'all' },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.queueRebate.stores).toBe('each');
    expect(r.value.queueRebate.storeOverrides).toEqual({ S1: { entitlementPct: 150 } });
    expect(r.value.queueRebate.cashiers).toBe('all');
  });

  it('checks member levels field by field', () => {
    const silver = { id: 'silver', name: '白银会员', minGrowth: 1000 };
    const ok = validateSettings({ members: { enabled: true, levels: [silver] } });
    expect(ok.ok && ok.value.members).toEqual({
      enabled: true,
      growthPerYuan: 1,
      levels: [{ ...silver, discountPct: 0, pointsMultiplier: 1, commissionPct: null }],
    });
    expect(errorsOf({ members: { growthPerYuan: -1 } })[0]?.path).toBe('members.growthPerYuan');
    expect(errorsOf({ members: { levels: {} } })[0]?.path).toBe('members.levels');
    expect(worded({ members: { levels: [{ id: 'a', name: 'A' }] } })).toEqual([
      { path: 'members.levels[0].minGrowth', message: 'is required' },
    ]);
    expect(errorsOf({ members: { levels: [{ ...silver, discountPct: 101 }] } })[0]?.path).toBe(
      'members.levels[0].discountPct',
    );
    expect(worded({ members: { levels: [{ ...silver, pointsMultiplier: 0.5 }] } })[0]).toEqual({
      path: 'members.levels[0].pointsMultiplier',
      message: 'must be a number from 1 to 100 with at most 2 decimals',
    });
    expect(errorsOf({ members: { levels: [{ ...silver, colour: 'x' }] } })[0]?.path).toBe(
      'members.levels[0].colour',
    );
    expect(
      worded({ members: { levels: [silver, { ...silver, minGrowth: 1000, id: 'gold' }] } })[0],
    ).toEqual({
      path: 'members.levels[1].minGrowth',
      message:
        "must be greater than the previous level's minGrowth (1000): levels are listed lowest first",
    });
    expect(worded({ members: { levels: [silver, { ...silver, minGrowth: 2000 }] } })[0]).toEqual({
      path: 'members.levels[1].id',
      message: 'duplicate level id "silver"',
    });
    expect(
      worded({
        commission: { level2Pct: 30 },
        members: { levels: [{ ...silver, commissionPct: 80 }] },
      })[0],
    ).toEqual({
      path: 'members.levels[0].commissionPct',
      message: 'commissionPct + commission.level2Pct must not exceed 100',
    });
  });

  it('returns errors as values, never throws', () => {
    for (const input of [
      null,
      5,
      'x',
      [],
      { queueRebate: null },
      { referral: { reward: null } },
      { members: { levels: [null, 5] } },
    ]) {
      expect(() => validateSettings(input)).not.toThrow();
    }
    expect(validateSettings(5).ok).toBe(false);
  });
});
