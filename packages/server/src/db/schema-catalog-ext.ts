import type { Generated } from 'kysely';
import type { Timestamp } from './schema.ts';

/** Tables added by the catalog capability beyond 0002_catalog.sql (see migrations 0010…). */
export interface CatalogExtTables {
  uploads: UploadsTable;
}

export interface UploadsTable {
  sha256: string;
  file_name: string;
  content_type: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
  size_bytes: number;
  created_by: number | null;
  created_at: Timestamp;
}

/**
 * Columns 0010_catalog_admin.sql adds to `products` and `skus`. They cannot be merged into
 * `DB` here (the tables are declared in schema.ts), so catalog code widens its
 * transaction with `tx.withTables<CatalogColumnsExt>()` — see catalog/db.ts.
 * Code outside the catalog that sells a SKU only needs `stock`: a removed SKU has 0.
 */
export type CatalogColumnsExt = {
  products: { updated_at: Generated<Date>; deleted_at: Timestamp | null };
  skus: { updated_at: Generated<Date>; deleted_at: Timestamp | null };
};
