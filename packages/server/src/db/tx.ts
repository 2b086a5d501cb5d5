import type { Transaction } from 'kysely';
import type { Db } from './database.ts';
import type { DB } from './schema.ts';
import { registryOf } from '../app/registry.ts';

export type Tx = Transaction<DB>;

/** SQLSTATEs worth re-running the whole transaction for. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Work a module does at the edges of every use-case transaction run by `inTx`: just before
 * COMMIT (inside the transaction, e.g. the ledger writing the system accounts' balances
 * last) and after a successful COMMIT (e.g. remembering ids that are now durable). A
 * module declares them in the module table (`txHooks`); `inTx` runs those of the registry
 * its database handle carries.
 */
export interface TxHook {
  beforeCommit?: (tx: Tx) => Promise<void>;
  afterCommit?: (tx: Tx) => void;
}

const MANAGED = new WeakSet<Tx>();

/** True inside a transaction opened by `inTx`, whose transaction hooks are sure to run. */
export function isManagedTx(tx: Tx): boolean {
  return MANAGED.has(tx);
}

/**
 * Runs one use-case in one transaction. A serialization failure or deadlock re-runs the
 * whole function (bounded), so the work is really redone, never half-applied.
 */
export async function inTx<T>(
  db: Db,
  work: (tx: Tx) => Promise<T>,
  attempts = MAX_ATTEMPTS,
): Promise<T> {
  const hooks = registryOf(db).txHooks;
  for (let attempt = 1; ; attempt++) {
    try {
      const done = await db.transaction().execute(async (tx) => {
        MANAGED.add(tx);
        const value = await work(tx);
        for (const hook of hooks) await hook.beforeCommit?.(tx);
        return { value, tx };
      });
      for (const hook of hooks) hook.afterCommit?.(done.tx);
      return done.value;
    } catch (err) {
      const state = sqlState(err);
      if (!state || !RETRYABLE.has(state) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}

class RollbackWith {
  constructor(readonly value: unknown) {}
}

/**
 * Like inTx, for use-cases that return `{ ok: false, … }` as a value: such a result rolls
 * the transaction back (nothing half-written) and is then returned to the caller.
 */
export async function inTxResult<T extends { ok: boolean }>(
  db: Db,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await inTx(db, async (tx) => {
      const result = await work(tx);
      if (!result.ok) throw new RollbackWith(result);
      return result;
    });
  } catch (e) {
    if (e instanceof RollbackWith) return e.value as T;
    throw e;
  }
}
