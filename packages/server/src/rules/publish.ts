import { fieldError, validateSettings, type FieldError } from '@fanli/engine';
import type { Tx } from '../db/tx.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { scheduleClearing } from './clearing.ts';
import { schedulePoolDay } from './pool.ts';
import { versionOfRow, type RuleVersion } from './versions.ts';

export type PublishResult = { ok: true; value: RuleVersion } | { ok: false; errors: FieldError[] };

/**
 * Saves a new version of the rules. The document is validated by the engine (depth ≥ 3
 * commission, negative percentages, unknown fields are refused with the field named);
 * the version takes effect at `effectiveAt` (now, or later: an announced change).
 */
export async function publishRules(
  tx: Tx,
  input: { settings: unknown; effectiveAt: Date; note: string },
  actor: Actor,
  now: Date,
): Promise<PublishResult> {
  const v = validateSettings(input.settings);
  if (!v.ok) return { ok: false, errors: v.errors };
  if (input.effectiveAt.getTime() < now.getTime() - 60_000) {
    // the past is not rewritten: orders already placed keep the rules they were judged by
    return { ok: false, errors: [fieldError('effectiveAt', 'inThePast')] };
  }
  const row = await tx
    .insertInto('rule_versions')
    .values({
      // the document as the merchant wrote it; reading it back validates it and fills defaults
      settings: JSON.stringify(input.settings ?? {}),
      effective_at: input.effectiveAt,
      note: input.note,
      created_by: actor.id,
      created_at: now,
    })
    .returning(['id', 'settings', 'effective_at', 'note'])
    .executeTakeFirstOrThrow();
  const from = input.effectiveAt > now ? input.effectiveAt : now;
  await scheduleClearing(tx, v.value, from, now);
  await schedulePoolDay(tx, v.value, from, now);
  await audit(
    tx,
    actor,
    'rules.publish',
    { type: 'rule_version', id: row.id },
    { effectiveAt: input.effectiveAt.toISOString(), note: input.note },
    now,
  );
  return { ok: true, value: await versionOfRow(tx, row) };
}
