/** Tables added by the catalog capability beyond 0002_catalog.sql (see its migrations). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CatalogExtTables {}
