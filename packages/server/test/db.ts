import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';

/** Which database integration tests run on: PostgreSQL when DATABASE_URL is set. */
export const DB_KIND = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new database
 * created on the PostgreSQL server named by DATABASE_URL (dropped again on close).
 */
export async function freshDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({});
    await migrate(database.db);
    return database;
  }
  const name = `fanli_test_${randomBytes(6).toString('hex')}`;
  const admin = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
  });
  await sql.raw(`create database ${name}`).execute(admin);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({
    databaseUrl: target.toString(),
    poolSize: 20,
    // the database is dropped with force at the end: its connections are meant to die
    onPoolError: () => {},
  });
  await migrate(database.db);
  return {
    ...database,
    close: async () => {
      await database.close();
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
      await admin.destroy();
    },
  };
}
