import type { TFunction } from 'i18next';
import {
  SETTING_ERROR_CODES,
  settingErrorVars,
  type FieldError,
  type SettingErrorCode,
} from '@fanli/engine';
import { ApiError } from '../api.ts';
import type { FieldProblem } from './types.ts';

const isCode = (code: unknown): code is SettingErrorCode =>
  (SETTING_ERROR_CODES as readonly unknown[]).includes(code);

/**
 * One field problem of a refused settings document in the reader's language, looked up
 * by its code (`commissionDepth` → 只能是 1 或 2…) with its parameters filled in. A code
 * this console does not know yet shows the server's own message.
 */
export function reasonText(t: TFunction, problem: FieldProblem): string {
  const { code } = problem;
  if (!isCode(code)) return problem.message ?? problem.reason;
  const error = { path: problem.field, code, params: problem.params ?? {} } as FieldError;
  return t(`rules.reason.${code}`, settingErrorVars(error));
}

/**
 * The field problems of a `VALIDATION_FAILED` answer in the reader's language, keyed by
 * their dotted path (two problems on one field are joined with "; "); `null` for any
 * other failure.
 */
export function problemsByField(t: TFunction, e: unknown): Record<string, string> | null {
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION_FAILED') return null;
  const fields = (e.details as { fields?: FieldProblem[] } | undefined)?.fields;
  if (!fields?.length) return null;
  const out: Record<string, string> = {};
  for (const f of fields) {
    const text = reasonText(t, f);
    out[f.field] = out[f.field] ? `${out[f.field]}; ${text}` : text;
  }
  return out;
}
