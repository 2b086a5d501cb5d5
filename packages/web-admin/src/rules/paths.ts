import type { Settings } from './types.ts';

/**
 * Every suffix that can follow the path of a value of type `T`: `.key…` into an object,
 * `.0…` or `[0]…` into a list (the server names list items `members.levels[1].minGrowth`).
 * Unions (e.g. `Lottery`) give the keys of each member.
 */
type Tail<T> = T extends readonly (infer E)[]
  ? '' | `.${number}${Tail<E>}` | `[${number}]${Tail<E>}`
  : T extends object
    ? '' | { [K in keyof T & string]-?: `.${K}${Tail<NonNullable<T[K]>>}` }[keyof T & string]
    : '';

/**
 * A field of the settings document by its dotted path, e.g. `queueRebate.extractPct`,
 * `queueRebate.products.12.lottery`, `members.levels[0].id`. A misspelt key fails the
 * type check; the ids inside override maps (products, stores, cashiers) are free text.
 */
export type SettingsPath = {
  [K in keyof Settings & string]-?: `${K}${Tail<NonNullable<Settings[K]>>}`;
}[keyof Settings & string];

/**
 * The path of a key under `base`, for inputs that edit a whole object (an override, a
 * lottery, opening hours): the key comes from that object's own type, so it exists.
 */
export function under(base: SettingsPath, key: string | number): SettingsPath {
  return `${base}.${key}` as SettingsPath;
}
