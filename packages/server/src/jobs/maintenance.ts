import type { AppDeps } from '../http/deps.ts';
import type { JobHandler } from './runner.ts';
import { enqueue } from './queue.ts';
import { pruneRateLimits } from '../rate-limit/rate-limit.ts';
import type { Tx } from '../db/tx.ts';

const HOUR = 3_600_000;

/** Schedules the hourly clean-up (a unique key per hour: many processes, one job). */
export function schedulePrune(tx: Tx, at: Date, now: Date) {
  return enqueue(
    tx,
    {
      kind: 'maintenance.pruneRateLimits',
      runAt: at,
      uniqueKey: `maintenance.pruneRateLimits:${at.toISOString().slice(0, 13)}`,
    },
    now,
  );
}

export function maintenanceJobs(_deps: AppDeps): Record<string, JobHandler> {
  return {
    // drops rate-limit windows older than a day, then schedules the next run
    'maintenance.pruneRateLimits': async (tx, _job, now) => {
      await pruneRateLimits(tx, new Date(now.getTime() - 24 * HOUR));
      await schedulePrune(tx, new Date(now.getTime() + HOUR), now);
    },
  };
}
