import { nextBoundary, planClearing, type Settings } from '@fanli/engine';
import type { Tx } from '../db/tx.ts';
import { enqueue } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/runner.ts';
import { lockQueue } from './queues.ts';
import { SHOP_TIMEZONE } from '../config/timezone.ts';
import { rulesInForce } from './versions.ts';

export const JOB_CLEARING = 'rules.clearing';

/** Schedules the next clearing (清零) at 00:00 local time of the next day/week/month. */
export async function scheduleClearing(tx: Tx, settings: Settings, from: Date, now: Date) {
  const every = settings.queueRebate.clearing;
  if (!settings.queueRebate.enabled || !every) return;
  const at = new Date(nextBoundary(from.getTime(), every, SHOP_TIMEZONE));
  await enqueue(
    tx,
    {
      kind: JOB_CLEARING,
      runAt: at,
      // the clearing instant, kept apart from run_at, which moves when a batch is retried
      payload: { at: at.toISOString() },
      uniqueKey: `${JOB_CLEARING}:${at.toISOString()}`,
    },
    now,
  );
}

/** Entries one clearing transaction forfeits at most: the queue's lock is held that long. */
export const CLEARING_BATCH = 500;

/**
 * Clearing: every entry waiting at the clearing instant forfeits what it has not received
 * (status `cleared`); what it received stays. The query picks a batch of candidates by
 * index; the engine's `planClearing`, which the simulator calls too, decides what of it
 * is cleared. The work is cut into transactions of at most
 * `CLEARING_BATCH` entries of one queue, each under that queue's lock, so no contribution
 * pays an entry in the middle of it and no queue waits on the others. The job runs again
 * until nothing is left: a crash loses at most the batch in progress, and a repeat finds
 * only what is still waiting. Entries that joined after the instant are not touched.
 */
export function clearingJobs(): Record<string, JobHandler> {
  return {
    [JOB_CLEARING]: async (tx, job, now) => {
      const { settings } = await rulesInForce(tx, now);
      if (!settings.queueRebate.enabled || !settings.queueRebate.clearing) return;
      const at = new Date(String(job.payload.at ?? job.run_at.toISOString()));
      const waiting = (q: typeof tx) =>
        q.selectFrom('queue_entries').where('status', '=', 'waiting').where('created_at', '<=', at);
      const next = await waiting(tx)
        .select('queue_id')
        .orderBy('queue_id')
        .limit(1)
        .executeTakeFirst();
      if (!next) {
        await scheduleClearing(tx, settings, now, now);
        return;
      }
      await lockQueue(tx, next.queue_id);
      const batch = await waiting(tx)
        .select(['id', 'status', 'created_at'])
        .where('queue_id', '=', next.queue_id)
        .orderBy('id')
        .limit(CLEARING_BATCH)
        .execute();
      const ops = planClearing(
        batch.map((e) => ({
          entryKey: String(e.id),
          status: e.status,
          joinedAtMs: new Date(e.created_at).getTime(),
        })),
        at.getTime(),
      );
      if (ops.length > 0)
        await tx
          .updateTable('queue_entries')
          .set({ status: 'cleared' })
          .where(
            'id',
            'in',
            ops.map((op) => Number(op.entryKey)),
          )
          .where('status', '=', 'waiting')
          .execute();
      return { again: { runAt: now, payload: { ...job.payload, at: at.toISOString() } } };
    },
  };
}
