import type { Db } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';
import type { CatalogColumnsExt } from '../db/schema-catalog-ext.ts';

/**
 * The catalog's view of the database: `products` and `skus` with the columns
 * 0010_catalog_admin.sql adds (`deleted_at`, `updated_at`). Same connection or
 * transaction, wider types only.
 */
export const catalogTx = (tx: Tx) => tx.withTables<CatalogColumnsExt>();
export const catalogDb = (db: Db) => db.withTables<CatalogColumnsExt>();
export type CatalogTx = ReturnType<typeof catalogTx>;
export type CatalogDb = ReturnType<typeof catalogDb>;

/** A spec as stored and compared: trimmed keys and values, keys in a fixed order. */
export function canonicalSpec(spec: Record<string, string>): Record<string, string> {
  const entries = Object.entries(spec).map(([k, v]) => [k.trim(), v.trim()] as const);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

export const specKey = (spec: Record<string, string>) => JSON.stringify(canonicalSpec(spec));
