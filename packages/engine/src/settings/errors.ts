/**
 * What can be wrong with one field of a settings document: a stable code with its
 * parameters, so every reader words it in its own language. The messages below are the
 * catalog shared by the server API, the simulator and the console; `{{name}}` stands for
 * a parameter (the console's i18next reads the same syntax).
 */

/** Every code the settings validation can report; the catalog has a message for each. */
export const SETTING_ERROR_CODES = [
  'object',
  'unknownField',
  'required',
  'boolean',
  'nonEmptyString',
  'integerMin',
  'integerRange',
  'percent',
  'percentMax',
  'rate',
  'oneOf',
  'commissionDepth',
  'commissionSum',
  'lotteryShape',
  'percentList',
  'maxBelowMin',
  'hoursShape',
  'time',
  'sameTimes',
  'randomReturnBoth',
  'randomReturnEmpty',
  'spendTiersShape',
  'pointsFormOnly',
  'rewardOneAmount',
  'scopeShape',
  'levelId',
  'multiplier',
  'levelsShape',
  'duplicateLevelId',
  'levelOrder',
  'levelCommissionSum',
  'inThePast',
] as const;

export type SettingErrorCode = (typeof SETTING_ERROR_CODES)[number];

type None = Record<string, never>;

/** The parameters each code carries (numbers stay numbers). */
export interface SettingErrorParams {
  object: None;
  unknownField: None;
  required: None;
  boolean: None;
  nonEmptyString: None;
  integerMin: { min: number };
  integerRange: { min: number; max: number };
  percent: None;
  percentMax: { max: number };
  rate: None;
  oneOf: { options: string[] };
  commissionDepth: None;
  commissionSum: None;
  lotteryShape: None;
  percentList: None;
  maxBelowMin: None;
  hoursShape: None;
  time: None;
  sameTimes: None;
  randomReturnBoth: None;
  randomReturnEmpty: None;
  spendTiersShape: None;
  pointsFormOnly: None;
  rewardOneAmount: None;
  scopeShape: None;
  levelId: { max: number };
  multiplier: None;
  levelsShape: None;
  duplicateLevelId: { id: string };
  levelOrder: { min: number };
  levelCommissionSum: None;
  /** A rule version's `effectiveAt` before now. */
  inThePast: None;
}

/** One problem, e.g. `{ path: 'commission.depth', code: 'commissionDepth', params: {} }`. */
export type FieldError = {
  [C in SettingErrorCode]: {
    /** Dotted path from the settings root, e.g. `commission.depth`. */
    path: string;
    code: C;
    params: SettingErrorParams[C];
  };
}[SettingErrorCode];

export type SettingErrorLang = 'zh-CN' | 'en';

/**
 * The catalog. English is the wording of the API's `reason` and of `fanli simulate`'s
 * one-line error; zh-CN is the merchant's.
 */
export const SETTING_ERROR_MESSAGES: Record<SettingErrorLang, Record<SettingErrorCode, string>> = {
  en: {
    object: 'must be an object',
    unknownField: 'unknown field',
    required: 'is required',
    boolean: 'must be true or false',
    nonEmptyString: 'must be a non-empty string',
    integerMin: 'must be an integer ≥ {{min}}',
    integerRange: 'must be an integer from {{min}} to {{max}}',
    percent: 'must be a percentage ≥ 0 with at most 2 decimals',
    percentMax: 'must be a percentage from 0 to {{max}} with at most 2 decimals',
    rate: 'must be a number ≥ 0 with at most 4 decimals',
    oneOf: 'must be one of {{options}}',
    commissionDepth: 'must be 1 or 2',
    commissionSum: 'level1Pct + level2Pct must not exceed 100',
    lotteryShape: 'must be null, { "pcts": [...] } or { "minPct": x, "maxPct": y }',
    percentList: 'must be a non-empty list of percentages',
    maxBelowMin: 'must be ≥ minPct',
    hoursShape: 'must be null or { "from": "HH:MM", "to": "HH:MM" }',
    time: 'must be a time "HH:MM"',
    sameTimes: 'must differ from "from"',
    randomReturnBoth: 'must set both "cash" and "points"',
    randomReturnEmpty: 'group size cash + points must be at least 1',
    spendTiersShape: 'must be a list of { "days", "minFen", "pct" }',
    pointsFormOnly: 'only allowed with form "points"',
    rewardOneAmount: 'must set exactly one of fixedFen, points, pctOfOwnOrder, pctOfFriendsPaid',
    scopeShape: 'must be "all", "each" or a map of overrides by id',
    levelId: 'must be a non-empty string of at most {{max}} characters',
    multiplier: 'must be a number from 1 to 100 with at most 2 decimals',
    levelsShape: 'must be a list of { "id", "name", "minGrowth", ... }',
    duplicateLevelId: 'duplicate level id "{{id}}"',
    levelOrder:
      "must be greater than the previous level's minGrowth ({{min}}): levels are listed lowest first",
    levelCommissionSum: 'commissionPct + commission.level2Pct must not exceed 100',
    inThePast: 'must not be in the past',
  },
  'zh-CN': {
    object: '格式不正确，应为一组设置',
    unknownField: '不认识的设置项',
    required: '必填',
    boolean: '只能是开或关',
    nonEmptyString: '不能为空',
    integerMin: '请填不小于 {{min}} 的整数',
    integerRange: '请填 {{min}} 到 {{max}} 之间的整数',
    percent: '请填不小于 0 的百分比，最多两位小数',
    percentMax: '请填 0 到 {{max}} 之间的百分比，最多两位小数',
    rate: '请填不小于 0 的数，最多四位小数',
    oneOf: '只能是 {{options}} 之一',
    commissionDepth: '只能是 1 或 2（最多两级分销）',
    commissionSum: '一级与二级佣金比例之和不能超过 100%',
    lotteryShape: '抽奖设置不正确：填一组固定比例，或最小与最大比例',
    percentList: '请至少填一个百分比',
    maxBelowMin: '最大比例不能小于最小比例',
    hoursShape: '时段设置不正确：需要开始和结束时间',
    time: '时间格式为 HH:MM，如 10:00',
    sameTimes: '结束时间不能与开始时间相同',
    randomReturnBoth: '现金名额和积分名额都要填写',
    randomReturnEmpty: '现金名额与积分名额之和至少为 1',
    spendTiersShape: '消费档位设置不正确：每档需要天数、金额和比例',
    pointsFormOnly: '只有奖励形式为积分时才能填积分',
    rewardOneAmount: '奖励数额只能选一种方式',
    scopeShape: '只能是全部统一、各自独立，或按编号单独设置',
    levelId: '不能为空，最多 {{max}} 个字符',
    multiplier: '请填 1 到 100 之间的倍数，最多两位小数',
    levelsShape: '会员等级设置不正确：每个等级需要标识、名称和成长值门槛',
    duplicateLevelId: '等级标识“{{id}}”重复了',
    levelOrder: '成长值门槛要高于上一个等级（{{min}}），等级从低到高排列',
    levelCommissionSum: '该等级佣金比例与二级佣金比例之和不能超过 100%',
    inThePast: '生效时间不能早于现在',
  },
};

/**
 * The error's parameters as message text: a list of options reads `"all", "each"`.
 *
 * @example settingErrorVars({ path: 'x', code: 'oneOf', params: { options: ['all', 'each'] } })
 * // { options: '"all", "each"' }
 */
export function settingErrorVars(error: FieldError): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(error.params as Record<string, unknown>))
    vars[key] = Array.isArray(value)
      ? value.map((v) => JSON.stringify(v)).join(', ')
      : String(value);
  return vars;
}

/**
 * The error's message from the catalog (English unless asked otherwise).
 *
 * @example settingErrorMessage({ path: 'commission.depth', code: 'commissionDepth', params: {} })
 * // 'must be 1 or 2'
 */
export function settingErrorMessage(error: FieldError, lang: SettingErrorLang = 'en'): string {
  const vars = settingErrorVars(error);
  return SETTING_ERROR_MESSAGES[lang][error.code].replace(
    /\{\{(\w+)\}\}/g,
    (whole, name: string) => vars[name] ?? whole,
  );
}

/** The parameters argument for `code`: none, or its object. */
export type ParamsArg<C extends SettingErrorCode> = SettingErrorParams[C] extends None
  ? []
  : [SettingErrorParams[C]];

/** Builds a field error, with `params` typed by the code. */
export function fieldError<C extends SettingErrorCode>(
  path: string,
  code: C,
  ...params: ParamsArg<C>
): FieldError {
  return { path, code, params: (params[0] ?? {}) as SettingErrorParams[C] } as FieldError;
}
