import type { Transaction } from 'kysely';
import type { Db } from './database.ts';
import type { DB } from './schema.ts';

export type Tx = Transaction<DB>;

/** SQLSTATEs worth re-running the whole transaction for. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Runs one use-case in one transaction. A serialization failure or deadlock re-runs the
 * whole function (bounded), so the work is really redone, never half-applied.
 */
export async function inTx<T>(db: Db, work: (tx: Tx) => Promise<T>, attempts = MAX_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (err) {
      const state = sqlState(err);
      if (!state || !RETRYABLE.has(state) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}
