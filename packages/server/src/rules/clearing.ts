import { nextBoundary, type Settings } from '@fanli/engine';
import type { Tx } from '../db/tx.ts';
import { enqueue } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/runner.ts';
import { lockQueue } from './queues.ts';
import { SHOP_TIMEZONE } from './listener.ts';
import { rulesInForce } from './versions.ts';

export const JOB_CLEARING = 'rules.clearing';

/** Schedules the next clearing (清零) at 00:00 local time of the next day/week/month. */
export async function scheduleClearing(tx: Tx, settings: Settings, from: Date, now: Date) {
  const every = settings.queueRebate.clearing;
  if (!settings.queueRebate.enabled || !every) return;
  const at = new Date(nextBoundary(from.getTime(), every, SHOP_TIMEZONE));
  await enqueue(
    tx,
    { kind: JOB_CLEARING, runAt: at, uniqueKey: `${JOB_CLEARING}:${at.toISOString()}` },
    now,
  );
}

/**
 * Clearing: every waiting entry forfeits what it has not received (status `cleared`);
 * what it received stays. Each queue is locked while it is cleared, so no contribution
 * pays an entry in the middle of it.
 */
export function clearingJobs(): Record<string, JobHandler> {
  return {
    [JOB_CLEARING]: async (tx, _job, now) => {
      const { settings } = await rulesInForce(tx, now);
      if (!settings.queueRebate.enabled || !settings.queueRebate.clearing) return;
      const queues = await tx
        .selectFrom('queue_entries')
        .select('queue_id')
        .where('status', '=', 'waiting')
        .distinct()
        .execute();
      for (const { queue_id } of queues.sort((a, b) => (a.queue_id < b.queue_id ? -1 : 1))) {
        await lockQueue(tx, queue_id);
        await tx
          .updateTable('queue_entries')
          .set({ status: 'cleared' })
          .where('queue_id', '=', queue_id)
          .where('status', '=', 'waiting')
          .execute();
      }
      await scheduleClearing(tx, settings, now, now);
    },
  };
}
