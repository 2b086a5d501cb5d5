import { toScaled } from '../money/money.ts';
import { fieldError, type FieldError, type ParamsArg, type SettingErrorCode } from './errors.ts';

/**
 * Tiny hand-written validators: each reads `value` at `path`, records precise errors and
 * returns the value to keep (or `undefined` after an error). Expected failures are values.
 */
export type Errors = FieldError[];

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** Records an error at `path` (its code and parameters) and returns `undefined`. */
export function err<C extends SettingErrorCode>(
  errors: Errors,
  path: string,
  code: C,
  ...params: ParamsArg<C>
): undefined {
  errors.push(fieldError(path, code, ...params));
  return undefined;
}

export function bool(v: unknown, path: string, errors: Errors): boolean | undefined {
  return typeof v === 'boolean' ? v : err(errors, path, 'boolean');
}

export function str(v: unknown, path: string, errors: Errors): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : err(errors, path, 'nonEmptyString');
}

export function int(
  v: unknown,
  path: string,
  errors: Errors,
  min = 0,
  max?: number,
): number | undefined {
  const ok =
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && (max === undefined || v <= max);
  if (ok) return v;
  return max === undefined
    ? err(errors, path, 'integerMin', { min })
    : err(errors, path, 'integerRange', { min, max });
}

/** A percentage: number ≥ 0 (≤ max when given) with at most 2 decimals. */
export function pct(v: unknown, path: string, errors: Errors, max?: number): number | undefined {
  const ok =
    typeof v === 'number' && v >= 0 && (max === undefined || v <= max) && toScaled(v, 2) !== null;
  if (ok) return v;
  return max === undefined
    ? err(errors, path, 'percent')
    : err(errors, path, 'percentMax', { max });
}

/** A rate in units per yuan: number ≥ 0 with at most 4 decimals. */
export function rate(v: unknown, path: string, errors: Errors): number | undefined {
  return typeof v === 'number' && v >= 0 && toScaled(v, 4) !== null ? v : err(errors, path, 'rate');
}

export function oneOf<T extends string>(
  v: unknown,
  path: string,
  errors: Errors,
  options: readonly T[],
): T | undefined {
  return typeof v === 'string' && (options as readonly string[]).includes(v)
    ? (v as T)
    : err(errors, path, 'oneOf', { options: [...options] });
}

/** Report every key of `obj` not in `known` as an unknown field. */
export function noUnknown(
  obj: Record<string, unknown>,
  path: string,
  errors: Errors,
  known: readonly string[],
): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) err(errors, join(path, key), 'unknownField');
  }
}

/** Validate an object field by field; unset fields keep `defaults`. */
export function fields<T extends object>(
  v: unknown,
  path: string,
  errors: Errors,
  defaults: T,
  checks: { [K in keyof T]?: (value: unknown, path: string, errors: Errors) => T[K] | undefined },
  extraKnown: readonly string[] = [],
): T | undefined {
  if (!isObject(v)) return err(errors, path, 'object');
  const known = [...Object.keys(checks), ...extraKnown];
  noUnknown(v, path, errors, known);
  const out = { ...defaults };
  for (const key of Object.keys(checks) as (keyof T & string)[]) {
    if (!(key in v)) continue;
    const check = checks[key];
    if (!check) continue;
    const before = errors.length;
    const value = check(v[key], join(path, key), errors);
    if (errors.length === before) out[key] = value as T[typeof key];
  }
  return out;
}

export function nullable<T>(
  check: (v: unknown, path: string, errors: Errors) => T | undefined,
): (v: unknown, path: string, errors: Errors) => T | null | undefined {
  return (v, path, errors) => (v === null ? null : check(v, path, errors));
}

export function record<T>(
  v: unknown,
  path: string,
  errors: Errors,
  check: (value: unknown, path: string, errors: Errors) => T | undefined,
): Record<string, T> | undefined {
  if (!isObject(v)) return err(errors, path, 'object');
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(v)) {
    const before = errors.length;
    const checked = check(value, join(path, key), errors);
    if (errors.length === before && checked !== undefined) out[key] = checked;
  }
  return out;
}
