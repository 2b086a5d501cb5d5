import type { Tx } from '../db/tx.ts';
import type { Db } from '../db/database.ts';

export interface Actor {
  id: number | null;
  role: string;
  ip?: string | undefined;
}

/**
 * Records a staff/admin action in the append-only audit log, in the same transaction as
 * the action itself: no action without its record, no record of an action undone.
 */
export async function audit(
  tx: Tx | Db,
  actor: Actor,
  action: string,
  object: { type: string; id?: string | number | null },
  detail: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      actor_id: actor.id,
      actor_role: actor.role,
      action,
      object_type: object.type,
      object_id: object.id == null ? null : String(object.id),
      detail: JSON.stringify(detail),
      ip: actor.ip ?? null,
      created_at: at,
    })
    .execute();
}
