import { describe, expect, it } from 'vitest';
import {
  SETTING_ERROR_CODES,
  SETTING_ERROR_MESSAGES,
  settingErrorMessage,
  type FieldError,
  type SettingErrorCode,
} from './errors.ts';
import { formatErrors, validateSettings } from './validate.ts';

const silver = { id: 'silver', name: '白银会员', minGrowth: 1000 };

/**
 * One document per code that the validation refuses with exactly that code, and the
 * line `fanli simulate` prints for it (the wording merchants' scripts already know).
 */
const SAMPLES: [SettingErrorCode, unknown, string][] = [
  ['object', { commission: 5 }, 'commission: must be an object'],
  ['unknownField', { queueRebate: { foo: 1 } }, 'queueRebate.foo: unknown field'],
  [
    'required',
    { members: { levels: [{ id: 'a', name: 'A' }] } },
    'members.levels[0].minGrowth: is required',
  ],
  ['boolean', { commission: { enabled: 'yes' } }, 'commission.enabled: must be true or false'],
  ['nonEmptyString', { queueRebate: { name: '' } }, 'queueRebate.name: must be a non-empty string'],
  ['integerMin', { referral: { everyN: 0 } }, 'referral.everyN: must be an integer ≥ 1'],
  ['integerRange', { settleAfterDays: 4000 }, 'settleAfterDays: must be an integer from 0 to 3650'],
  [
    'percent',
    { queueRebate: { entitlementPct: -1 } },
    'queueRebate.entitlementPct: must be a percentage ≥ 0 with at most 2 decimals',
  ],
  [
    'percentMax',
    { queueRebate: { extractPct: -5 } },
    'queueRebate.extractPct: must be a percentage from 0 to 100 with at most 2 decimals',
  ],
  [
    'rate',
    { cashback: { pointsPerYuan: 0.00001 } },
    'cashback.pointsPerYuan: must be a number ≥ 0 with at most 4 decimals',
  ],
  [
    'oneOf',
    { queueRebate: { queue: 'global' } },
    'queueRebate.queue: must be one of "mall", "product"',
  ],
  ['commissionDepth', { commission: { depth: 3 } }, 'commission.depth: must be 1 or 2'],
  [
    'commissionSum',
    { commission: { level1Pct: 60, level2Pct: 50 } },
    'commission.level2Pct: level1Pct + level2Pct must not exceed 100',
  ],
  [
    'lotteryShape',
    { queueRebate: { lottery: 5 } },
    'queueRebate.lottery: must be null, { "pcts": [...] } or { "minPct": x, "maxPct": y }',
  ],
  [
    'percentList',
    { queueRebate: { lottery: { pcts: [] } } },
    'queueRebate.lottery.pcts: must be a non-empty list of percentages',
  ],
  [
    'maxBelowMin',
    { queueRebate: { lottery: { minPct: 50, maxPct: 10 } } },
    'queueRebate.lottery.maxPct: must be ≥ minPct',
  ],
  [
    'hoursShape',
    { queueRebate: { hours: '9-5' } },
    'queueRebate.hours: must be null or { "from": "HH:MM", "to": "HH:MM" }',
  ],
  [
    'time',
    { queueRebate: { hours: { from: '25:00', to: '10:00' } } },
    'queueRebate.hours.from: must be a time "HH:MM"',
  ],
  [
    'sameTimes',
    { queueRebate: { hours: { from: '10:00', to: '10:00' } } },
    'queueRebate.hours.to: must differ from "from"',
  ],
  [
    'randomReturnBoth',
    { queueRebate: { randomReturn: { cash: 1 } } },
    'queueRebate.randomReturn: must set both "cash" and "points"',
  ],
  [
    'randomReturnEmpty',
    { queueRebate: { randomReturn: { cash: 0, points: 0 } } },
    'queueRebate.randomReturn: group size cash + points must be at least 1',
  ],
  [
    'spendTiersShape',
    { queueRebate: { products: { P1: { spendTiers: 5 } } } },
    'queueRebate.products.P1.spendTiers: must be a list of { "days", "minFen", "pct" }',
  ],
  [
    'pointsFormOnly',
    { referral: { reward: { form: 'cash', points: 5 } } },
    'referral.reward.points: only allowed with form "points"',
  ],
  [
    'rewardOneAmount',
    { referral: { reward: { form: 'cash', fixedFen: 1, pctOfOwnOrder: 100 } } },
    'referral.reward: must set exactly one of fixedFen, points, pctOfOwnOrder, pctOfFriendsPaid',
  ],
  [
    'scopeShape',
    { queueRebate: { stores: 5 } },
    'queueRebate.stores: must be "all", "each" or a map of overrides by id',
  ],
  [
    'levelId',
    { members: { levels: [{ ...silver, id: '' }] } },
    'members.levels[0].id: must be a non-empty string of at most 40 characters',
  ],
  [
    'multiplier',
    { members: { levels: [{ ...silver, pointsMultiplier: 0.5 }] } },
    'members.levels[0].pointsMultiplier: must be a number from 1 to 100 with at most 2 decimals',
  ],
  [
    'levelsShape',
    { members: { levels: {} } },
    'members.levels: must be a list of { "id", "name", "minGrowth", ... }',
  ],
  [
    'duplicateLevelId',
    { members: { levels: [silver, { ...silver, minGrowth: 2000 }] } },
    'members.levels[1].id: duplicate level id "silver"',
  ],
  [
    'levelOrder',
    { members: { levels: [silver, { ...silver, id: 'gold' }] } },
    "members.levels[1].minGrowth: must be greater than the previous level's minGrowth (1000): levels are listed lowest first",
  ],
  [
    'levelCommissionSum',
    { commission: { level2Pct: 30 }, members: { levels: [{ ...silver, commissionPct: 80 }] } },
    'members.levels[0].commissionPct: commissionPct + commission.level2Pct must not exceed 100',
  ],
];

// refused by the rule-version use-case, not by the document's validation
const NOT_FROM_VALIDATION: SettingErrorCode[] = ['inThePast'];

const errorsOf = (input: unknown): FieldError[] => {
  const r = validateSettings(input);
  return r.ok ? [] : r.errors;
};

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);

describe('settings errors are codes with parameters, worded by the catalog', () => {
  it.each(SAMPLES)('%s: refused with the code, worded as before', (code, doc, line) => {
    const errors = errorsOf(doc);
    expect(errors.map((e) => e.code)).toEqual([code]);
    expect(formatErrors(errors)).toBe(line);
  });

  it('carries numbers as numbers and options as a list', () => {
    expect(errorsOf({ settleAfterDays: 4000 })).toEqual([
      { path: 'settleAfterDays', code: 'integerRange', params: { min: 0, max: 3650 } },
    ]);
    expect(errorsOf({ queueRebate: { clearing: 'hourly' } })).toEqual([
      {
        path: 'queueRebate.clearing',
        code: 'oneOf',
        params: { options: ['daily', 'weekly', 'monthly'] },
      },
    ]);
  });

  it('every code the validation can emit has a sample, and every sample code is listed', () => {
    const sampled = SAMPLES.map(([code]) => code);
    expect([...sampled, ...NOT_FROM_VALIDATION].sort()).toEqual([...SETTING_ERROR_CODES].sort());
  });

  it('has a message for every code in zh-CN and English, with only the code’s parameters', () => {
    const paramsOf = new Map(SAMPLES.map(([code, doc]) => [code, errorsOf(doc)[0]!.params]));
    for (const code of SETTING_ERROR_CODES) {
      const keys = Object.keys(paramsOf.get(code) ?? {}).sort();
      for (const lang of ['en', 'zh-CN'] as const) {
        const text = SETTING_ERROR_MESSAGES[lang][code];
        expect(text, `${lang} ${code}`).toMatch(/\S/);
        // English names every parameter; zh-CN may leave one out but never invents one
        if (lang === 'en') expect([...new Set(placeholders(text))].sort(), code).toEqual(keys);
        for (const name of placeholders(text)) expect(keys, `${lang} ${code}`).toContain(name);
      }
    }
  });

  it('words an error in zh-CN with its parameters filled in', () => {
    const [depth] = errorsOf({ commission: { depth: 3 } });
    expect(settingErrorMessage(depth!, 'zh-CN')).toBe('只能是 1 或 2（最多两级分销）');
    const [range] = errorsOf({ settleAfterDays: -1 });
    expect(settingErrorMessage(range!, 'zh-CN')).toBe('请填 0 到 3650 之间的整数');
    const [oneOf] = errorsOf({ queueRebate: { queue: 'global' } });
    expect(settingErrorMessage(oneOf!, 'zh-CN')).toBe('只能是 "mall", "product" 之一');
  });

  it('a code with no message fails: each emitted code is looked up in both catalogs', () => {
    const emitted = new Set(SAMPLES.flatMap(([, doc]) => errorsOf(doc).map((e) => e.code)));
    for (const code of emitted)
      for (const lang of ['en', 'zh-CN'] as const)
        expect(SETTING_ERROR_MESSAGES[lang], `${lang} lacks ${code}`).toHaveProperty(code);
  });
});
