import { toScaled } from '../money/money.ts';
import { defaultSettings } from './defaults.ts';
import { fieldError, settingErrorMessage, type FieldError } from './errors.ts';
import {
  bool,
  err,
  fields,
  int,
  isObject,
  join,
  noUnknown,
  nullable,
  oneOf,
  pct,
  rate,
  record,
  str,
  type Errors,
} from './checks.ts';
import type {
  Hours,
  Lottery,
  MemberLevel,
  MembersSettings,
  QueueOverride,
  QueueRebateSettings,
  RandomReturn,
  ReferralReward,
  Settings,
  SpendTier,
  Validated,
} from './types.ts';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function lottery(v: unknown, path: string, errors: Errors): Lottery | undefined {
  if (!isObject(v)) return err(errors, path, 'lotteryShape');
  if ('pcts' in v) {
    noUnknown(v, path, errors, ['pcts']);
    const list = v.pcts;
    if (!Array.isArray(list) || list.length === 0)
      return err(errors, join(path, 'pcts'), 'percentList');
    const before = errors.length;
    const pcts = list.map((p, i) => pct(p, `${join(path, 'pcts')}[${i}]`, errors) ?? 0);
    return errors.length === before ? { pcts } : undefined;
  }
  noUnknown(v, path, errors, ['minPct', 'maxPct']);
  const before = errors.length;
  const minPct = pct(v.minPct, join(path, 'minPct'), errors);
  const maxPct = pct(v.maxPct, join(path, 'maxPct'), errors);
  if (errors.length !== before || minPct === undefined || maxPct === undefined) return undefined;
  if (minPct > maxPct) return err(errors, join(path, 'maxPct'), 'maxBelowMin');
  return { minPct, maxPct };
}

function hours(v: unknown, path: string, errors: Errors): Hours | undefined {
  if (!isObject(v)) return err(errors, path, 'hoursShape');
  noUnknown(v, path, errors, ['from', 'to']);
  const from =
    typeof v.from === 'string' && HHMM.test(v.from)
      ? v.from
      : err(errors, join(path, 'from'), 'time');
  const to =
    typeof v.to === 'string' && HHMM.test(v.to) ? v.to : err(errors, join(path, 'to'), 'time');
  if (from === undefined || to === undefined) return undefined;
  if (from === to) return err(errors, join(path, 'to'), 'sameTimes');
  return { from, to };
}

function randomReturn(v: unknown, path: string, errors: Errors): RandomReturn | undefined {
  const r = fields<RandomReturn>(
    v,
    path,
    errors,
    { cash: 0, points: 0 },
    {
      cash: (x, p, e) => int(x, p, e, 0),
      points: (x, p, e) => int(x, p, e, 0),
    },
  );
  if (!r) return undefined;
  if (!isObject(v) || !('cash' in v) || !('points' in v))
    return err(errors, path, 'randomReturnBoth');
  if (r.cash + r.points < 1) return err(errors, path, 'randomReturnEmpty');
  return r;
}

function spendTiers(v: unknown, path: string, errors: Errors): SpendTier[] | undefined {
  if (!Array.isArray(v)) return err(errors, path, 'spendTiersShape');
  const before = errors.length;
  const tiers = v.map((t, i) => {
    const p = `${path}[${i}]`;
    const tier = fields<SpendTier>(
      t,
      p,
      errors,
      { days: 0, minFen: 0, pct: 0 },
      {
        days: (x, q, e) => int(x, q, e, 1),
        minFen: (x, q, e) => int(x, q, e, 0),
        pct: (x, q, e) => pct(x, q, e),
      },
    );
    if (tier && isObject(t)) {
      for (const k of ['days', 'minFen', 'pct']) if (!(k in t)) err(errors, join(p, k), 'required');
    }
    return tier;
  });
  return errors.length === before ? (tiers as SpendTier[]) : undefined;
}

function levelPct(v: unknown, path: string, errors: Errors): Record<string, number> | undefined {
  return record(v, path, errors, (x, p, e) => pct(x, p, e));
}

function override(v: unknown, path: string, errors: Errors): QueueOverride | undefined {
  return fields<QueueOverride>(
    v,
    path,
    errors,
    {},
    {
      enabled: bool,
      extractPct: (x, p, e) => pct(x, p, e, 100),
      entitlementPct: (x, p, e) => pct(x, p, e),
      levelPct,
      lottery: nullable(lottery),
      spendTiers,
      deduction: (x, p, e) => oneOf(x, p, e, ['participate', 'exclude'] as const),
      hours: nullable(hours),
      perUserPerDay: nullable((x, p, e) => int(x, p, e, 1)),
      perUserTotal: nullable((x, p, e) => int(x, p, e, 1)),
      randomReturn: nullable(randomReturn),
    },
  );
}

function reward(v: unknown, path: string, errors: Errors): ReferralReward | undefined {
  if (!isObject(v)) return err(errors, path, 'object');
  noUnknown(v, path, errors, ['form', 'fixedFen', 'points', 'pctOfOwnOrder', 'pctOfFriendsPaid']);
  const before = errors.length;
  const form = oneOf(v.form, join(path, 'form'), errors, ['cash', 'points', 'coupon'] as const);
  const out: ReferralReward = { form: form ?? 'cash' };
  const amounts = ['fixedFen', 'points', 'pctOfOwnOrder', 'pctOfFriendsPaid'].filter((k) => k in v);
  if ('fixedFen' in v) out.fixedFen = int(v.fixedFen, join(path, 'fixedFen'), errors, 0);
  if ('points' in v) {
    out.points = int(v.points, join(path, 'points'), errors, 0);
    if (form !== undefined && form !== 'points')
      err(errors, join(path, 'points'), 'pointsFormOnly');
  }
  if ('pctOfOwnOrder' in v)
    out.pctOfOwnOrder = pct(v.pctOfOwnOrder, join(path, 'pctOfOwnOrder'), errors);
  if ('pctOfFriendsPaid' in v)
    out.pctOfFriendsPaid = pct(v.pctOfFriendsPaid, join(path, 'pctOfFriendsPaid'), errors);
  if (amounts.length !== 1) err(errors, path, 'rewardOneAmount');
  return errors.length === before ? out : undefined;
}

/** `"all"`, `"each"`, or a map of per-location overrides (which implies `"each"`). */
function scopeOrMap(
  v: unknown,
  path: string,
  errors: Errors,
): { scope: 'all' | 'each'; overrides: Record<string, QueueOverride> } | undefined {
  if (typeof v === 'string') {
    const scope = oneOf(v, path, errors, ['all', 'each'] as const);
    return scope ? { scope, overrides: {} } : undefined;
  }
  if (isObject(v)) {
    const overrides = record(v, path, errors, override);
    return overrides ? { scope: 'each', overrides } : undefined;
  }
  return err(errors, path, 'scopeShape');
}

function queueRebate(v: unknown, path: string, errors: Errors): QueueRebateSettings | undefined {
  const d = defaultSettings().queueRebate;
  const q = fields<QueueRebateSettings>(
    v,
    path,
    errors,
    d,
    {
      enabled: bool,
      name: str,
      exchangeName: str,
      queue: (x, p, e) => oneOf(x, p, e, ['mall', 'product'] as const),
      settleOn: (x, p, e) => oneOf(x, p, e, ['paid', 'completed'] as const),
      order: (x, p, e) => oneOf(x, p, e, ['fifo', 'completedFirst'] as const),
      extractPct: (x, p, e) => pct(x, p, e, 100),
      entitlementPct: (x, p, e) => pct(x, p, e),
      levelPct,
      lottery: nullable(lottery),
      deduction: (x, p, e) => oneOf(x, p, e, ['participate', 'exclude'] as const),
      hours: nullable(hours),
      perUserPerDay: nullable((x, p, e) => int(x, p, e, 1)),
      perUserTotal: nullable((x, p, e) => int(x, p, e, 1)),
      exchangeRate: (x, p, e) =>
        fields(x, p, e, d.exchangeRate, { pointsPerYuan: rate, voucherPerYuan: rate }),
      randomReturn: nullable(randomReturn),
      clearing: nullable((x, p, e) => oneOf(x, p, e, ['daily', 'weekly', 'monthly'] as const)),
      paused: bool,
      display: (x, p, e) =>
        fields(x, p, e, d.display, {
          queueId: bool,
          progress: bool,
          accumulated: bool,
          pending: bool,
          member: bool,
          pendingAmount: bool,
        }),
      products: (x, p, e) => record(x, p, e, override),
      pool: nullable((x, p, e) => {
        const pool = fields(
          x,
          p,
          e,
          { poolPct: 60, entitlementPct: 110 },
          {
            poolPct: (y, r, f) => pct(y, r, f, 100),
            entitlementPct: (y, r, f) => pct(y, r, f),
          },
        );
        return pool;
      }),
    },
    ['stores', 'cashiers'],
  );
  if (!q || !isObject(v)) return undefined;
  const before = errors.length;
  if ('stores' in v) {
    const s = scopeOrMap(v.stores, join(path, 'stores'), errors);
    if (s) {
      q.stores = s.scope;
      q.storeOverrides = s.overrides;
    }
  }
  if ('cashiers' in v) {
    const c = scopeOrMap(v.cashiers, join(path, 'cashiers'), errors);
    if (c) {
      q.cashiers = c.scope;
      q.cashierOverrides = c.overrides;
    }
  }
  return errors.length === before ? q : undefined;
}

const LEVEL_ID_MAX = 40; // the admin API's limit on a member's level

function memberLevel(v: unknown, path: string, errors: Errors): MemberLevel | undefined {
  const level = fields<MemberLevel>(
    v,
    path,
    errors,
    { id: '', name: '', minGrowth: 0, discountPct: 0, pointsMultiplier: 1, commissionPct: null },
    {
      id: (x, p, e) =>
        typeof x === 'string' && x.length > 0 && x.length <= LEVEL_ID_MAX
          ? x
          : err(e, p, 'levelId', { max: LEVEL_ID_MAX }),
      name: str,
      minGrowth: (x, p, e) => int(x, p, e, 0),
      discountPct: (x, p, e) => pct(x, p, e, 100),
      pointsMultiplier: (x, p, e) =>
        typeof x === 'number' && x >= 1 && x <= 100 && toScaled(x, 2) !== null
          ? x
          : err(e, p, 'multiplier'),
      commissionPct: nullable((x, p, e) => pct(x, p, e, 100)),
    },
  );
  if (level && isObject(v)) {
    for (const k of ['id', 'name', 'minGrowth'])
      if (!(k in v)) err(errors, join(path, k), 'required');
  }
  return level;
}

function memberLevels(v: unknown, path: string, errors: Errors): MemberLevel[] | undefined {
  if (!Array.isArray(v)) return err(errors, path, 'levelsShape');
  const before = errors.length;
  const levels = v.map((x, i) => memberLevel(x, `${path}[${i}]`, errors));
  if (errors.length !== before) return undefined;
  const ok = levels as MemberLevel[];
  ok.forEach((level, i) => {
    if (ok.findIndex((l) => l.id === level.id) !== i)
      err(errors, `${path}[${i}].id`, 'duplicateLevelId', { id: level.id });
    const prev = ok[i - 1];
    if (prev && level.minGrowth <= prev.minGrowth)
      err(errors, `${path}[${i}].minGrowth`, 'levelOrder', { min: prev.minGrowth });
  });
  return errors.length === before ? ok : undefined;
}

function members(v: unknown, path: string, errors: Errors): MembersSettings | undefined {
  return fields<MembersSettings>(v, path, errors, defaultSettings().members, {
    enabled: bool,
    growthPerYuan: rate,
    levels: memberLevels,
  });
}

/**
 * Validate a settings document (partial documents are merged over the defaults) and
 * return either the full typed settings or every problem with its dotted path, code and
 * parameters (worded by `settingErrorMessage`).
 *
 * @example validateSettings({ commission: { depth: 3 } })
 * // { ok: false, errors: [{ path: 'commission.depth', code: 'commissionDepth', params: {} }] }
 * @example validateSettings({}).ok // true
 */
export function validateSettings(input: unknown): Validated<Settings> {
  const errors: Errors = [];
  const d = defaultSettings();
  const value = fields<Settings>(input ?? {}, '', errors, d, {
    settleAfterDays: (x, p, e) => int(x, p, e, 0, 3650),
    referral: (x, p, e) =>
      fields(x, p, e, d.referral, {
        enabled: bool,
        everyN: (y, q, f) => int(y, q, f, 1),
        repeat: bool,
        minOrderFen: (y, q, f) => int(y, q, f, 0),
        productId: nullable(str),
        withinDays: nullable((y, q, f) => int(y, q, f, 0)),
        budgetFen: nullable((y, q, f) => int(y, q, f, 0)),
        reward,
      }),
    commission: (x, p, e) => {
      const c = fields(x, p, e, d.commission, {
        enabled: bool,
        depth: (y, q, f) => (y === 1 || y === 2 ? y : err(f, q, 'commissionDepth')),
        level1Pct: (y, q, f) => pct(y, q, f, 100),
        level2Pct: (y, q, f) => pct(y, q, f, 100),
        storeRecruitPct: (y, q, f) => pct(y, q, f, 100),
      });
      if (c && c.level1Pct + c.level2Pct > 100)
        return err(e, join(p, 'level2Pct'), 'commissionSum');
      return c;
    },
    cashback: (x, p, e) =>
      fields(x, p, e, d.cashback, {
        enabled: bool,
        form: (y, q, f) => oneOf(y, q, f, ['points', 'cash'] as const),
        pointsPerYuan: rate,
        pct: (y, q, f) => pct(y, q, f, 100),
      }),
    points: (x, p, e) =>
      fields(x, p, e, d.points, {
        fenPerPoint: (y, q, f) => int(y, q, f, 1),
        expiryDays: nullable((y, q, f) => int(y, q, f, 1)),
        expireAtYearEnd: bool,
      }),
    queueRebate,
    members,
  });
  if (value) {
    // a level's commission pct replaces level1Pct, so it obeys the same cap with level 2
    value.members.levels.forEach((level, i) => {
      if (level.commissionPct !== null && level.commissionPct + value.commission.level2Pct > 100)
        err(errors, `members.levels[${i}].commissionPct`, 'levelCommissionSum');
    });
  }
  if (errors.length > 0 || !value)
    return {
      ok: false,
      errors: errors.length ? errors : [fieldError('', 'object')],
    };
  return { ok: true, value };
}

/**
 * One line for humans and the CLI, in English: `commission.depth: must be 1 or 2`. Takes
 * settings errors and the simulator's scenario errors alike.
 */
export function formatErrors(
  errors: readonly (FieldError | { path: string; message: string })[],
): string {
  return errors
    .map((e) => {
      const message = 'code' in e ? settingErrorMessage(e) : e.message;
      return e.path ? `${e.path}: ${message}` : message;
    })
    .join('; ');
}
