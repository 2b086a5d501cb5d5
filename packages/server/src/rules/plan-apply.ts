import { sql } from 'kysely';
import type { AccountKey, Plan } from '@fanli/engine';
import type { Tx } from '../db/tx.ts';
import { postPending, transfer, voidPending, type AccountRef } from '../ledger/index.ts';

const toRef = (k: AccountKey): AccountRef => ({
  ownerType: k.ownerType,
  ownerId: k.ownerId,
  asset: k.asset,
});

/** Thrown when a plan cannot be applied: the whole use-case rolls back. */
export class PlanError extends Error {}

/**
 * Writes an engine plan to the database in the caller's transaction: each transfer with
 * the engine's deterministic id as its idempotency key (a plan applied twice moves money
 * once), each post/void against the pending transfer it names, each queue-entry change.
 * Returns the ledger id of every transfer the plan created, by the plan's id.
 */
export async function applyPlan(tx: Tx, plan: Plan, at: Date): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const op of plan.ops) {
    switch (op.op) {
      case 'transfer': {
        const r = await transfer(tx, {
          debit: toRef(op.debit),
          credit: toRef(op.credit),
          amount: op.amount,
          reason: op.reason,
          source: op.source,
          idempotencyKey: op.id,
          pending: op.pending === true,
          at,
        });
        if (!r.ok) throw new PlanError(`${op.id}: ${r.code}`);
        ids.set(op.id, r.transfer.id);
        break;
      }
      case 'post':
      case 'void': {
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
      case 'entry.update': {
        const set: Record<string, unknown> = {};
        if (op.receivedDeltaFen) set.received_fen = sql`received_fen + ${op.receivedDeltaFen}`;
        if (op.entitlementFen !== undefined) set.entitlement_fen = op.entitlementFen;
        if (op.status !== undefined) set.status = op.status;
        if (Object.keys(set).length) {
          await tx
            .updateTable('queue_entries')
            .set(set)
            .where('id', '=', Number(op.entryKey))
            .execute();
        }
        break;
      }
      case 'entry.create':
        throw new PlanError('entries are created by joinQueue, not by plans');
    }
  }
  return ids;
}
