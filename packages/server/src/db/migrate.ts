import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Any constant: every process that migrates takes the same advisory lock. */
const MIGRATION_LOCK = 7_200_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Numbered plain-SQL files, `0001_name.sql`, forward only; the same files on PGlite and PostgreSQL. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(dir + file, 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock so two
 * processes starting together do not race. An applied file that was edited afterwards is
 * refused: forward only.
 */
export async function migrate(db: Db): Promise<string[]> {
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const done = new Map(
        (await conn.selectFrom('schema_migrations').selectAll().execute()).map((r) => [
          r.version,
          r,
        ]),
      );
      for (const m of loadMigrations()) {
        const prior = done.get(m.version);
        if (prior) {
          if (prior.checksum !== m.checksum) {
            throw new Error(`migration ${m.name} was changed after it was applied`);
          }
          continue;
        }
        await conn.transaction().execute(async (tx) => {
          await sql.raw(m.sql).execute(tx);
          await tx
            .insertInto('schema_migrations')
            .values({ version: m.version, name: m.name, checksum: m.checksum })
            .execute();
        });
        applied.push(m.name);
      }
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
  return applied;
}
