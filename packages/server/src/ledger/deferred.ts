import { sql } from 'kysely';
import { isManagedTx, type Tx, type TxHook } from '../db/tx.ts';
import { registryOf } from '../app/registry.ts';
import { runWithCommit } from '../db/postgres-dialect.ts';

export type Column = 'debits_posted' | 'credits_posted' | 'debits_pending' | 'credits_pending';
export const COLUMNS: Column[] = [
  'debits_posted',
  'credits_posted',
  'debits_pending',
  'credits_pending',
];
export type Deltas = Partial<Record<Column, number>>;

/**
 * System accounts (merchant, gateway, pools…) never refuse a debit, so a transaction does
 * not need their balance while it runs. Locking them at each transfer made every paid
 * order of the shop queue on the merchant's and the gateway's rows for the whole payment
 * transaction. Instead their changes are summed per transaction and written in one
 * statement just before COMMIT, in id order: the hot rows are held for one round trip.
 * Users' accounts keep the lock-then-check path their overdraft guard needs.
 *
 * Only transactions opened by `inTx` with `deferredWrites` among their hooks defer (the
 * hook is sure to flush them); elsewhere every change is written at once.
 */
const deferred = new WeakMap<Tx, Map<number, Deltas>>();

export function canDefer(tx: Tx): boolean {
  return isManagedTx(tx) && registryOf(tx).txHooks.includes(deferredWrites);
}

export function defer(tx: Tx, accountId: number, add: Deltas): void {
  let byAccount = deferred.get(tx);
  if (!byAccount) deferred.set(tx, (byAccount = new Map()));
  const d = byAccount.get(accountId) ?? {};
  for (const c of COLUMNS) if (add[c]) d[c] = (d[c] ?? 0) + (add[c] as number);
  byAccount.set(accountId, d);
}

/** What this transaction has yet to write to an account (to read its own balance right). */
export function deferredOf(tx: unknown, accountId: number): Deltas | undefined {
  return deferred.get(tx as Tx)?.get(accountId);
}

/** An integer written into SQL text: only safe integers, so nothing but digits goes in. */
function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${n}`);
  return String(n);
}

export async function flushDeferred(tx: Tx): Promise<void> {
  const byAccount = deferred.get(tx);
  if (!byAccount || byAccount.size === 0) return;
  deferred.delete(tx);
  const rows = [...byAccount.entries()].map(
    ([id, d]) =>
      `(${int(id)}::bigint, ${int(d.debits_posted ?? 0)}::bigint, ${int(d.credits_posted ?? 0)}::bigint, ${int(d.debits_pending ?? 0)}::bigint, ${int(d.credits_pending ?? 0)}::bigint)`,
  );
  // Lock in ascending id order (ORDER BY under the lock), so two flushing transactions
  // queue instead of deadlocking, then add. NO KEY UPDATE because every transfer row this
  // or another open transaction inserted holds a KEY SHARE lock on its accounts (the
  // foreign key): FOR UPDATE would wait on those and deadlock. The text carries only
  // integers, so it can travel with the COMMIT (one round trip for both, and the hot rows
  // are held for no round trip of their own).
  const text = `
    with v (id, dp, cp, dpe, cpe) as (values ${rows.join(', ')}),
    locked as materialized (
      select a.id from ledger_accounts a where a.id in (select id from v) order by a.id for no key update)
    update ledger_accounts a
       set debits_posted = a.debits_posted + v.dp,
           credits_posted = a.credits_posted + v.cp,
           debits_pending = a.debits_pending + v.dpe,
           credits_pending = a.credits_pending + v.cpe
      from v join locked l on l.id = v.id
     where a.id = v.id`;
  if (!(await runWithCommit(tx, text))) await sql.raw(text).execute(tx);
}

/** Writes the system accounts' summed changes just before COMMIT (the ledger module's). */
export const deferredWrites: TxHook = { beforeCommit: flushDeferred };
