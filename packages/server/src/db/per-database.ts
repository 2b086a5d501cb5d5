import type { Db } from './database.ts';
import type { Tx } from './tx.ts';

/**
 * A value kept per database by this process (e.g. a cache of rows that never change).
 * Keyed by the Kysely instance's adapter, which its transactions share: tests open many
 * databases in one process, and the same id means different rows in each.
 *
 * @example const ids = perDatabase(() => new Map<string, number>()); ids(tx).get('k');
 */
export function perDatabase<T>(init: () => T): (db: Db | Tx) => T {
  const values = new WeakMap<object, T>();
  return (db) => {
    const key = db.getExecutor().adapter;
    let v = values.get(key);
    if (v === undefined) values.set(key, (v = init()));
    return v;
  };
}
