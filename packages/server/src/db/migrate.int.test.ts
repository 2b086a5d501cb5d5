import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KIND, emptyDatabase, freshDatabase } from '../../test/db.ts';
import type { Database, Db } from './database.ts';
import { loadMigrations, migrate } from './migrate.ts';

/**
 * The migrations run from an empty database here, on PGlite and on PostgreSQL. Every
 * other integration test starts from a copy of a migrated snapshot, so this file also
 * checks that the copy is exactly what the migrations make.
 */
let scratch: Database;
let copied: Database;
beforeAll(async () => {
  scratch = await emptyDatabase();
  copied = await freshDatabase();
});
afterAll(async () => {
  await scratch?.close();
  await copied?.close();
});

/** Every table, column, constraint, index, sequence, view, function and trigger, as text. */
async function schemaOf(db: Db): Promise<string[]> {
  const { rows } = await sql<{ item: string }>`
    select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' ||
           is_nullable || ' ' || coalesce(column_default, '') as item
      from information_schema.columns where table_schema = 'public'
    union all
    select 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      from pg_constraint where connamespace = 'public'::regnamespace
    union all
    select 'index ' || indexdef from pg_indexes where schemaname = 'public'
    union all
    select 'sequence ' || sequencename from pg_sequences where schemaname = 'public'
    union all
    select 'view ' || viewname || ' ' || definition from pg_views where schemaname = 'public'
    union all
    select 'function ' || p.oid::regprocedure || ' ' || md5(prosrc)
      from pg_proc p where pronamespace = 'public'::regnamespace
    union all
    select 'trigger ' || tgrelid::regclass || ' ' || pg_get_triggerdef(oid)
      from pg_trigger where not tgisinternal
  `.execute(db);
  return rows.map((r) => r.item).sort();
}

describe(`migrations (${DB_KIND})`, () => {
  it('migrate an empty database from scratch, every file once and in order', async () => {
    const files = loadMigrations().map((m) => m.name);
    expect(files.length).toBeGreaterThan(0);
    expect(await migrate(scratch.db)).toEqual(files);
    const recorded = await scratch.db
      .selectFrom('schema_migrations')
      .select('name')
      .orderBy('version')
      .execute();
    expect(recorded.map((r) => r.name)).toEqual(files);
    // a second run has nothing left to do
    expect(await migrate(scratch.db)).toEqual([]);
  });

  it('the migrated snapshot the tests start from has exactly the schema the migrations make', async () => {
    const fromScratch = await schemaOf(scratch.db);
    expect(fromScratch.length).toBeGreaterThan(100);
    expect(await schemaOf(copied.db)).toEqual(fromScratch);
    const copiedVersions = await copied.db
      .selectFrom('schema_migrations')
      .select(['version', 'checksum'])
      .orderBy('version')
      .execute();
    expect(copiedVersions).toEqual(
      loadMigrations().map((m) => ({ version: m.version, checksum: m.checksum })),
    );
  });

  it('refuses to go on when an applied migration was edited afterwards', async () => {
    const first = loadMigrations()[0]!;
    await copied.db
      .updateTable('schema_migrations')
      .set({ checksum: 'edited' })
      .where('version', '=', first.version)
      .execute();
    await expect(migrate(copied.db)).rejects.toThrow(`migration ${first.name} was changed`);
  });
});
