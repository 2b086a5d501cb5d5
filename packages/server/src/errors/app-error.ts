import { ERRORS, type ErrorCode } from './catalog.ts';

/** A failure the client should see: mapped to `{ code, message }` by the one error handler. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details?: Record<string, unknown>,
  ) {
    super(code);
    this.status = ERRORS[code].status;
  }
}

/** Expected failures travel as values; this is their shape. */
export type Result<T, C extends ErrorCode = ErrorCode> =
  { ok: true; value: T } | { ok: false; code: C; details?: Record<string, unknown> };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <C extends ErrorCode>(code: C, details?: Record<string, unknown>) =>
  ({ ok: false, code, ...(details ? { details } : {}) }) as const;

/** Route-side: a failed result becomes the HTTP error it names. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new AppError(result.code, result.details);
}

export type Lang = 'zh-CN' | 'en';

/** zh-CN unless the client prefers English. */
export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  for (const part of acceptLanguage.split(',')) {
    const tag = part.trim().split(';')[0]?.toLowerCase() ?? '';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export function errorBody(code: ErrorCode, lang: Lang, details?: Record<string, unknown>) {
  const e = ERRORS[code];
  return { code, message: lang === 'en' ? e.en : e.zh, ...(details ? { details } : {}) };
}
