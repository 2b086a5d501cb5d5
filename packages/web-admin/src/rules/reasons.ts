import type { TFunction } from 'i18next';

/**
 * The engine names each invalid field with a reason in English (`must be 1 or 2`). The
 * console shows them in the reader's language: known reasons by pattern, anything else
 * as the server wrote it.
 */
const PATTERNS: [RegExp, string, (m: RegExpExecArray) => Record<string, string>][] = [
  [/^must be 1 or 2$/, 'depth', () => ({})],
  [/^level1Pct \+ level2Pct must not exceed 100$/, 'levelSum', () => ({})],
  [
    /^must be a percentage from 0 to (\d+) with at most 2 decimals$/,
    'pctMax',
    (m) => ({ max: m[1]! }),
  ],
  [/^must be a percentage ≥ 0 with at most 2 decimals$/, 'pct', () => ({})],
  [/^must be an integer from (\d+) to (\d+)$/, 'intRange', (m) => ({ min: m[1]!, max: m[2]! })],
  [/^must be an integer ≥ (\d+)$/, 'intMin', (m) => ({ min: m[1]! })],
  [/^must be a number ≥ 0 with at most 4 decimals$/, 'rate', () => ({})],
  [/^must be a non-empty list of percentages$/, 'pctList', () => ({})],
  [/^must be ≥ minPct$/, 'minMax', () => ({})],
  [/^must be a time "HH:MM"$/, 'time', () => ({})],
  [/^must differ from "from"$/, 'timeDiffer', () => ({})],
  [/^unknown field$/, 'unknown', () => ({})],
  [/^is required$/, 'required', () => ({})],
  [/^must set exactly one of /, 'oneAmount', () => ({})],
  [/^must set both "cash" and "points"$/, 'rrBoth', () => ({})],
  [/^must be true or false$/, 'bool', () => ({})],
  [/^must be a non-empty string$/, 'nonEmpty', () => ({})],
  [/^must be one of (.+)$/, 'oneOf', (m) => ({ options: m[1]! })],
  [/^must be a number from 1 to 100 with at most 2 decimals$/, 'multiplier', () => ({})],
  [/^duplicate level id "(.*)"$/, 'duplicateLevel', (m) => ({ id: m[1]! })],
  [
    /^must be greater than the previous level's minGrowth \((\d+)\)/,
    'levelOrder',
    (m) => ({ min: m[1]! }),
  ],
  [/^commissionPct \+ commission\.level2Pct must not exceed 100$/, 'levelCommission', () => ({})],
  [/^must be a non-empty string of at most (\d+) characters$/, 'idLength', (m) => ({ max: m[1]! })],
];

export function reasonText(t: TFunction, reason: string): string {
  // "sub.path: reason" (an error under a field) keeps its path prefix
  const at = /^([\w.[\]]+): (.*)$/.exec(reason);
  if (at) return `${at[1]}: ${reasonText(t, at[2]!)}`;
  for (const [re, key, vars] of PATTERNS) {
    const m = re.exec(reason);
    if (m) return t(`rules.reason.${key}`, vars(m));
  }
  return reason;
}
