import { sql } from 'kysely';
import type { AccountKey, Plan } from '@fanli/engine';
import type { Tx } from '../db/tx.ts';
import { postPending, transferMany, voidPending, type AccountRef } from '../ledger/index.ts';

const toRef = (k: AccountKey): AccountRef => ({
  ownerType: k.ownerType,
  ownerId: k.ownerId,
  asset: k.asset,
});

/** Thrown when a plan cannot be applied: the whole use-case rolls back. */
export class PlanError extends Error {}

type EntryUpdate = Extract<Plan['ops'][number], { op: 'entry.update' }>;

/**
 * Queue-entry changes of one plan in one statement: per entry, received amounts add up and
 * the last entitlement and status win.
 */
async function updateEntries(tx: Tx, ops: EntryUpdate[]): Promise<void> {
  const byEntry = new Map<
    number,
    { delta: number; entitlement: number | null; status: string | null }
  >();
  for (const op of ops) {
    const id = Number(op.entryKey);
    const e = byEntry.get(id) ?? { delta: 0, entitlement: null, status: null };
    e.delta += op.receivedDeltaFen ?? 0;
    if (op.entitlementFen !== undefined) e.entitlement = op.entitlementFen;
    if (op.status !== undefined) e.status = op.status;
    byEntry.set(id, e);
  }
  const rows = [...byEntry.entries()]
    .filter(([, e]) => e.delta !== 0 || e.entitlement !== null || e.status !== null)
    .sort((a, b) => a[0] - b[0])
    .map(
      ([id, e]) =>
        sql`(${id}::bigint, ${e.delta}::bigint, ${e.entitlement}::bigint, ${e.status}::text)`,
    );
  if (!rows.length) return;
  await sql`
    update queue_entries e
       set received_fen = e.received_fen + v.delta,
           entitlement_fen = coalesce(v.entitlement, e.entitlement_fen),
           status = coalesce(v.status, e.status)
      from (values ${sql.join(rows)}) as v (id, delta, entitlement, status)
     where e.id = v.id`.execute(tx);
}

/**
 * Writes an engine plan to the database in the caller's transaction: each transfer with
 * the engine's deterministic id as its idempotency key (a plan applied twice moves money
 * once), each post/void against the pending transfer it names, each queue-entry change.
 * Returns the ledger id of every transfer the plan created, by the plan's id.
 *
 * Round trips are what a paid order costs, so consecutive transfers go to the ledger
 * together (`transferMany`) and entry changes are written in one statement at the end;
 * only a post or void, which may name a transfer of this same plan, waits for the
 * transfers before it.
 */
export async function applyPlan(tx: Tx, plan: Plan, at: Date): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const transfers: Extract<Plan['ops'][number], { op: 'transfer' }>[] = [];
  const entries: EntryUpdate[] = [];
  const writeTransfers = async () => {
    if (!transfers.length) return;
    const batch = transfers.splice(0);
    const results = await transferMany(
      tx,
      batch.map((op) => ({
        debit: toRef(op.debit),
        credit: toRef(op.credit),
        amount: op.amount,
        reason: op.reason,
        source: op.source,
        idempotencyKey: op.id,
        pending: op.pending === true,
        at,
      })),
    );
    for (const [n, r] of results.entries()) {
      if (!r.ok) throw new PlanError(`${batch[n]!.id}: ${r.code}`);
      ids.set(batch[n]!.id, r.transfer.id);
    }
  };
  for (const op of plan.ops) {
    switch (op.op) {
      case 'transfer':
        transfers.push(op);
        break;
      case 'post':
      case 'void': {
        await writeTransfers();
        const pending = await tx
          .selectFrom('ledger_transfers')
          .select('id')
          .where('idempotency_key', '=', op.pendingId)
          .executeTakeFirst();
        if (!pending) throw new PlanError(`${op.id}: no pending transfer ${op.pendingId}`);
        const r =
          op.op === 'post'
            ? await postPending(tx, pending.id, { at })
            : await voidPending(tx, pending.id, { at });
        if (!r.ok && r.code !== 'TRANSFER_ALREADY_RESOLVED')
          throw new PlanError(`${op.id}: ${r.code}`);
        break;
      }
      case 'entry.update':
        entries.push(op);
        break;
      case 'entry.create':
        throw new PlanError('entries are created by joinQueue, not by plans');
    }
  }
  await writeTransfers();
  await updateEntries(tx, entries);
  return ids;
}
