import { settingErrorMessage, type FieldError, type ScenarioFieldError } from '@fanli/engine';
import { AppError, pickLang } from './app-error.ts';

/**
 * A refused settings document as one `VALIDATION_FAILED` answer naming every field:
 * `{ field, code, params, reason, message }`. Clients branch on `code` and `params`;
 * `reason` is the catalog's English (stable, for logs and scripts) and `message` is in
 * the caller's language, both from the engine's settings-error catalog.
 *
 * @example settingsRefused([{ path: 'commission.depth', code: 'commissionDepth', params: {} }], 'en')
 * // details.fields: [{ field: 'commission.depth', code: 'commissionDepth', params: {},
 * //   reason: 'must be 1 or 2', message: 'must be 1 or 2' }]
 */
export function settingsRefused(
  errors: readonly (FieldError | ScenarioFieldError)[],
  acceptLanguage: string | undefined,
): AppError {
  const lang = pickLang(acceptLanguage);
  return new AppError('VALIDATION_FAILED', {
    fields: errors.map((e) =>
      'code' in e
        ? {
            field: e.path,
            code: e.code,
            params: e.params,
            reason: settingErrorMessage(e),
            message: settingErrorMessage(e, lang),
          }
        : // a replay scenario the server built itself: English only, no code
          { field: e.path, reason: e.message },
    ),
  });
}
