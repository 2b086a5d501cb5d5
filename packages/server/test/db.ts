import type pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import {
  databaseUrl,
  ensurePostgresTemplate,
  pgliteSnapshot,
  SNAPSHOTS_ON,
  templateName,
  testDatabaseName,
  withAdmin,
} from './snapshot.ts';

/** Which database integration tests run on: PostgreSQL when DATABASE_URL is set. */
export const DB_KIND = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new database
 * created on the PostgreSQL server named by DATABASE_URL (dropped again on close). It is
 * a copy of the migrated snapshot (test/snapshot.ts), which takes a fraction of the time
 * running every migration does.
 */
export async function freshDatabase(): Promise<Database> {
  if (!SNAPSHOTS_ON) {
    const database = await emptyDatabase();
    await migrate(database.db);
    return database;
  }
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase({ loadDataDir: await pgliteSnapshot() });
  return newPostgresDatabase(url, async (admin, name) => {
    try {
      await admin.query(`create database ${name} template ${templateName()}`);
    } catch (err) {
      // the template is missing (this run did not go through the global setup): make it
      if ((err as { code?: string }).code !== '3D000') throw err;
      await ensurePostgresTemplate(url);
      await admin.query(`create database ${name} template ${templateName()}`);
    }
  });
}

/** An empty database with no migrations applied: for the test of the migrations themselves. */
export async function emptyDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase({});
  return newPostgresDatabase(url, async (admin, name) => {
    await admin.query(`create database ${name}`);
  });
}

async function newPostgresDatabase(
  url: string,
  create: (admin: pg.Client, name: string) => Promise<void>,
): Promise<Database> {
  const name = testDatabaseName();
  await withAdmin(url, (admin) => create(admin, name));
  const database = await openDatabase({
    databaseUrl: databaseUrl(url, name),
    poolSize: 20,
    // the database is dropped with force at the end: its connections are meant to die
    onPoolError: () => {},
  });
  return {
    ...database,
    close: async () => {
      await database.close();
      await withAdmin(url, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}
