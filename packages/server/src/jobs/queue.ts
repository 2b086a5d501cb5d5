import type { Tx } from '../db/tx.ts';

export interface NewJob {
  kind: string;
  payload?: Record<string, unknown>;
  runAt: Date;
  /** at most one job with this key ever exists (e.g. `order.autoCancel:123`) */
  uniqueKey?: string;
  maxAttempts?: number;
}

/**
 * Schedules a job inside the caller's transaction: it exists only if the business change
 * that asked for it commits. A repeated unique key is ignored.
 */
export async function enqueue(tx: Tx, job: NewJob, now: Date): Promise<number | null> {
  const row = await tx
    .insertInto('jobs')
    .values({
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? {}),
      run_at: job.runAt,
      unique_key: job.uniqueKey ?? null,
      last_error: null,
      created_at: now,
      finished_at: null,
      ...(job.maxAttempts ? { max_attempts: job.maxAttempts } : {}),
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}
