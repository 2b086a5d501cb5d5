import {
  dropStalePostgres,
  ensurePostgresTemplate,
  preparePgliteSnapshot,
  SNAPSHOTS_ON,
} from './snapshot.ts';

/**
 * Vitest global setup: makes the migrated snapshot the integration tests' databases are
 * copied from, once, before any test file runs (test/snapshot.ts), for the database this
 * run uses: PostgreSQL when DATABASE_URL is set, PGlite otherwise.
 */
export default async function setup(): Promise<void> {
  if (!SNAPSHOTS_ON) return;
  const url = process.env.DATABASE_URL;
  if (!url) return preparePgliteSnapshot();
  await ensurePostgresTemplate(url);
  await dropStalePostgres(url);
}
