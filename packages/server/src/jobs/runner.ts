import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { inTx, type Tx } from '../db/tx.ts';
import type { Job } from '../db/schema.ts';
import type { Clock } from '../clock/clock.ts';

/** Instead of finishing, run this same job again later (the next poll, the next batch). */
export interface RunAgain {
  again: { runAt: Date; payload: Record<string, unknown> };
}

/** Runs inside the claim's transaction: its effect and the job's completion commit together. */
export type JobHandler = (tx: Tx, job: Job, now: Date) => Promise<void | RunAgain>;

/**
 * Talks to the outside world (a payment provider). The claim commits before it runs, so no
 * transaction is open while it waits; it opens its own short ones, and must be safe to run
 * again (a crash before it finishes runs it again once the claim's lease ends).
 */
export interface OutsideTxJobHandler {
  outsideTx: (job: Job, now: Date) => Promise<void | RunAgain>;
}

export type AnyJobHandler = JobHandler | OutsideTxJobHandler;

/** How long a claimed outside-transaction job is left alone before another run may take it. */
export const CLAIM_LEASE_MS = 5 * 60_000;

export interface RunnerOptions {
  db: Db;
  clock: Clock;
  handlers: Record<string, AnyJobHandler>;
  pollMs?: number;
  /** how many jobs one tick may run */
  batch?: number;
  onError?: (job: Job, err: unknown) => void;
}

/** Delay before retry n (1-based): 1 s, 2 s, 4 s … capped at 10 minutes. */
export function backoffMs(attempt: number): number {
  return Math.min(600_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Runs due jobs. An in-transaction job is claimed with `FOR UPDATE SKIP LOCKED` inside the transaction
 * that runs its handler and marks it done, so its effect and its completion commit
 * together: a crash rolls both back (the job runs again later), and a second server
 * process skips the locked row instead of running it twice. An outside-transaction job is
 * claimed by a committed lease (its run_at moved past the lease), run with no transaction
 * open, and finished in a second transaction.
 */
export class JobRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

  constructor(private readonly options: RunnerOptions) {}

  /** Runs one due job if there is one; returns whether it ran one. */
  async runOne(): Promise<boolean> {
    const { db, clock, handlers } = this.options;
    const now = clock.now();
    let failed: { job: Job; err: unknown } | undefined;
    let outside: { job: Job; handler: OutsideTxJobHandler; leaseUntil: Date } | undefined;
    const ran = await inTx(db, async (tx) => {
      const job = await tx
        .selectFrom('jobs')
        .selectAll()
        .where('status', '=', 'queued')
        .where('run_at', '<=', now)
        .where('kind', 'in', Object.keys(handlers))
        .orderBy('run_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!job) return false;
      const handler = handlers[job.kind]!;
      if (typeof handler !== 'function') {
        const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS);
        await tx.updateTable('jobs').set({ run_at: leaseUntil }).where('id', '=', job.id).execute();
        outside = { job, handler, leaseUntil };
        return true;
      }
      try {
        // a savepoint keeps the claim if the handler fails, so the failure is recorded
        await sql`savepoint job_work`.execute(tx);
        const next = await handler(tx, job, now);
        await sql`release savepoint job_work`.execute(tx);
        await finish(tx, job, next, now).execute();
      } catch (err) {
        await sql`rollback to savepoint job_work`.execute(tx);
        await fail(tx, job, err, now).execute();
        failed = { job, err };
      }
      return true;
    });
    if (outside) failed = await this.runOutside(outside.job, outside.handler, outside.leaseUntil);
    if (failed) this.options.onError?.(failed.job, failed.err);
    return ran;
  }

  /** Runs a claimed outside-transaction job, then records how it ended, unless its lease was lost. */
  private async runOutside(job: Job, handler: OutsideTxJobHandler, leaseUntil: Date) {
    const { db, clock } = this.options;
    const mine = (q: ReturnType<typeof finish>) =>
      q.where('run_at', '=', leaseUntil).where('status', '=', 'queued').execute();
    try {
      const next = await handler.outsideTx(job, clock.now());
      await mine(finish(db, job, next, clock.now()));
      return undefined;
    } catch (err) {
      await mine(fail(db, job, err, clock.now()));
      return { job, err };
    }
  }

  /** Runs due jobs until none is left or `max` ran; returns how many ran. */
  async runDue(max = this.options.batch ?? 100): Promise<number> {
    let n = 0;
    while (n < max && (await this.runOne())) n++;
    return n;
  }

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.runDue().catch((err) => {
        this.options.onError?.({ id: 0 } as Job, err);
        return 0;
      });
      await this.running;
      if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs ?? 1000);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

/** The job ran: done, or queued again as it asked (a fresh start for its error count). */
function finish(db: Db | Tx, job: Job, next: void | RunAgain, now: Date) {
  const set = next
    ? {
        run_at: next.again.runAt,
        payload: JSON.stringify(next.again.payload),
        attempts: 0,
        last_error: null,
      }
    : { status: 'done' as const, attempts: job.attempts + 1, finished_at: now, last_error: null };
  return db.updateTable('jobs').set(set).where('id', '=', job.id);
}

/** The job threw: retried after a backoff, or dead after its last attempt. */
function fail(db: Db | Tx, job: Job, err: unknown, now: Date) {
  const attempts = job.attempts + 1;
  const dead = attempts >= job.max_attempts;
  return db
    .updateTable('jobs')
    .set({
      attempts,
      status: dead ? 'dead' : 'queued',
      run_at: new Date(now.getTime() + backoffMs(attempts)),
      last_error: String(err instanceof Error ? err.message : err).slice(0, 2000),
      finished_at: dead ? now : null,
    })
    .where('id', '=', job.id);
}
