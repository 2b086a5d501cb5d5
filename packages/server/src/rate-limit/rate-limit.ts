import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';

export interface Limit {
  /** e.g. `otp:phone:<hash>`, `login:ip:1.2.3.4` */
  bucket: string;
  max: number;
  windowMs: number;
}

/**
 * Counts one hit in a fixed window shared by every server process (a row per bucket and
 * window, incremented atomically). Returns whether the hit is within the limit. Runs in
 * its own statement, outside the caller's transaction, so a failed attempt still counts.
 */
export async function hit(db: Db, limit: Limit, now: Date): Promise<boolean> {
  const windowStart = new Date(Math.floor(now.getTime() / limit.windowMs) * limit.windowMs);
  const row = await db
    .insertInto('rate_limits')
    .values({ bucket: limit.bucket, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  return row.hits <= limit.max;
}

/** Drops windows that ended before `before` (run by a periodic job). */
export async function pruneRateLimits(db: Db | Tx, before: Date): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', before).execute();
}
