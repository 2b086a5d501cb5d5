import type { AppDeps } from '../http/deps.ts';
import type { JobHandler } from './runner.ts';
import { enqueue } from './queue.ts';
import { pruneRateLimits } from '../rate-limit/rate-limit.ts';
import { pruneOtpCodes } from '../auth/otp.ts';
import { sql } from 'kysely';
import type { Tx } from '../db/tx.ts';
import type { Db } from '../db/database.ts';

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
    // drops rate-limit windows older than a day and expired login codes, then schedules
    // the next run
    'maintenance.pruneRateLimits': async (tx, _job, now) => {
      await pruneRateLimits(tx, new Date(now.getTime() - 24 * HOUR));
      await pruneOtpCodes(tx, now);
      await schedulePrune(tx, new Date(now.getTime() + HOUR), now);
    },
  };
}

/** Tables whose rows every order updates: the ones that fill with dead row versions. */
const HOT_TABLES = [
  'ledger_accounts',
  'products',
  'skus',
  'queue_entries',
  'orders',
  'payments',
  'idempotency_keys',
  'jobs',
];

/**
 * PGlite runs PostgreSQL as one standalone backend, with no autovacuum: without this the
 * rows every order updates pile up dead versions that every later update and scan walks,
 * and an embedded shop slows down the longer it runs. The server calls it every few
 * minutes on PGlite (PostgreSQL has autovacuum, tuned for these tables by migration 0064).
 * VACUUM cannot run in a transaction, so it is not a job.
 */
export async function vacuumHotTables(db: Db): Promise<void> {
  await sql.raw(`vacuum ${HOT_TABLES.join(', ')}`).execute(db);
}
