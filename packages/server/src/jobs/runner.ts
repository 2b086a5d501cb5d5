import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { inTx, type Tx } from '../db/tx.ts';
import type { Job } from '../db/schema.ts';
import type { Clock } from '../clock/clock.ts';

export type JobHandler = (tx: Tx, job: Job, now: Date) => Promise<void>;

export interface RunnerOptions {
  db: Db;
  clock: Clock;
  handlers: Record<string, JobHandler>;
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
 * Runs due jobs. Each job is claimed with `FOR UPDATE SKIP LOCKED` inside the transaction
 * that runs its handler and marks it done, so its effect and its completion commit
 * together: a crash rolls both back (the job runs again later), and a second server
 * process skips the locked row instead of running it twice.
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
      try {
        // a savepoint keeps the claim if the handler fails, so the failure is recorded
        await sql`savepoint job_work`.execute(tx);
        await handler(tx, job, now);
        await sql`release savepoint job_work`.execute(tx);
        await tx
          .updateTable('jobs')
          .set({ status: 'done', attempts: job.attempts + 1, finished_at: now, last_error: null })
          .where('id', '=', job.id)
          .execute();
      } catch (err) {
        await sql`rollback to savepoint job_work`.execute(tx);
        const attempts = job.attempts + 1;
        const dead = attempts >= job.max_attempts;
        await tx
          .updateTable('jobs')
          .set({
            attempts,
            status: dead ? 'dead' : 'queued',
            run_at: new Date(now.getTime() + backoffMs(attempts)),
            last_error: String(err instanceof Error ? err.message : err).slice(0, 2000),
            finished_at: dead ? now : null,
          })
          .where('id', '=', job.id)
          .execute();
        failed = { job, err };
      }
      return true;
    });
    if (failed) this.options.onError?.(failed.job, failed.err);
    return ran;
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
