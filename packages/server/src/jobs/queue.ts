import { sql, type Expression, type QueryCreator } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Tx } from '../db/tx.ts';

export interface NewJob {
  kind: string;
  /** with `perRowOf` (see `enqueueQuery`) also a jsonb SQL expression over that CTE's row */
  payload?: Record<string, unknown> | Expression<Record<string, unknown>>;
  runAt: Date;
  /** at most one job with this key ever exists (e.g. `order.autoCancel:123`) */
  uniqueKey?: string | Expression<string>;
  maxAttempts?: number;
}

const isExpression = <T>(v: T | Expression<T>): v is Expression<T> =>
  typeof v === 'object' && v !== null && 'toOperationNode' in v;

/**
 * The INSERT that schedules a job, not yet run: `enqueue` runs it alone; a use-case can make
 * it a CTE of the statement that writes what the job is about, one round trip instead of
 * two. With `perRowOf` (the name of another CTE of that statement) it writes one job per
 * row of that CTE — none when it returned none — and `payload` and `uniqueKey` may be SQL
 * expressions over that row's columns (e.g. the id of a row the statement inserts).
 */
export function enqueueQuery(db: QueryCreator<DB>, job: NewJob, now: Date, perRowOf?: string) {
  return insertJob(db, job, now, perRowOf)
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning('id');
}

function insertJob(db: QueryCreator<DB>, job: NewJob, now: Date, perRowOf?: string) {
  const values = {
    kind: job.kind,
    payload:
      job.payload && isExpression(job.payload) ? job.payload : JSON.stringify(job.payload ?? {}),
    run_at: job.runAt,
    unique_key: job.uniqueKey ?? null,
    last_error: null,
    created_at: now,
    finished_at: null,
    ...(job.maxAttempts ? { max_attempts: job.maxAttempts } : {}),
  };
  const insert = db.insertInto('jobs');
  const columns = Object.keys(values) as (keyof typeof values)[];
  // sql`${v}`: an expression is spliced in as SQL, any other value becomes a parameter
  const rows = perRowOf
    ? insert
        .columns(columns)
        .expression(
          sql`select ${sql.join(columns.map((c) => sql`${values[c]}`))} from ${sql.table(perRowOf)}`,
        )
    : insert.values(values);
  return rows;
}

/**
 * Schedules a job inside the caller's transaction: it exists only if the business change
 * that asked for it commits. A repeated unique key is ignored.
 */
export async function enqueue(tx: Tx, job: NewJob, now: Date): Promise<number | null> {
  const row = await enqueueQuery(tx, job, now).executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Schedules a job under its unique key, or puts the one that already has that key back in
 * the queue with this payload and time (e.g. an operator restarting a finished poll).
 */
export async function requeue(
  tx: Tx,
  job: NewJob & { uniqueKey: string },
  now: Date,
): Promise<void> {
  await insertJob(tx, job, now)
    .onConflict((oc) =>
      oc.column('unique_key').doUpdateSet({
        status: 'queued',
        payload: (eb) => eb.ref('excluded.payload'),
        run_at: (eb) => eb.ref('excluded.run_at'),
        attempts: 0,
        last_error: null,
        finished_at: null,
      }),
    )
    .execute();
}
