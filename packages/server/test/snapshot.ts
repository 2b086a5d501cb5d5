import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { PGliteDialect } from '../src/db/pglite-dialect.ts';
import type { DB } from '../src/db/schema.ts';

/**
 * Migrated snapshots that integration test databases are copied from, so a test file
 * does not run every migration again: a dump of a migrated PGlite data directory, and a
 * migrated template database on the PostgreSQL server. Both are named by a hash of
 * everything that shapes the migrated schema (the migration files, the migration runner,
 * the PGlite version), so an edited or added migration makes a new one and a stale one
 * is never used. Made once (vitest's global setup, test/global-setup.ts) and kept until
 * the migrations change; the migrations themselves still run from an empty database in
 * src/db/migrate.int.test.ts.
 */

const MIGRATIONS_DIR = fileURLToPath(new URL('../src/db/migrations/', import.meta.url));
const MIGRATE_TS = fileURLToPath(new URL('../src/db/migrate.ts', import.meta.url));
const CACHE_DIR = fileURLToPath(
  new URL('../../../node_modules/.cache/fanli-test/', import.meta.url),
);
/** Bump when the way a snapshot is made changes. */
const FORMAT = 1;
/** Any constant: processes building the PostgreSQL template take turns on it. */
const TEMPLATE_LOCK = 7_200_013;
/** Older snapshots of other migration states are removed after this long. */
const STALE_MS = 60 * 60_000;
/** Test databases a crashed run left behind are dropped after this long. */
const LEFTOVER_MS = 3 * 60 * 60_000;

/** Off with FANLI_TEST_SNAPSHOT=0: every test database then migrates from empty. */
export const SNAPSHOTS_ON = process.env.FANLI_TEST_SNAPSHOT !== '0';

let memoKey: string | undefined;
/** Short hash of the migration files, the migration runner and the PGlite version. */
function migrationsKey(): string {
  if (memoKey) return memoKey;
  const hash = createHash('sha256').update(`format ${FORMAT}\n`);
  // the package exports no package.json: read it beside its entry point
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pgliteVersion = (
    JSON.parse(readFileSync(join(dirname(pgliteEntry), '../package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  hash.update(`pglite ${pgliteVersion}\n`).update(readFileSync(MIGRATE_TS));
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(`\n${file}\n`).update(readFileSync(join(MIGRATIONS_DIR, file)));
  }
  memoKey = hash.digest('hex').slice(0, 16);
  return memoKey;
}

// ---------------------------------------------------------------------------------- PGlite

const pgliteFile = () => join(CACHE_DIR, `pglite-${migrationsKey()}.tar`);

/** The migrated PGlite dump, made now if missing. */
export async function pgliteSnapshot(): Promise<Blob> {
  try {
    return new Blob([readFileSync(pgliteFile())]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return new Blob([await buildPgliteSnapshot()]);
}

/** Migrates an empty PGlite and writes its dump; written under a temporary name and renamed, so a reader never sees half a file. */
async function buildPgliteSnapshot(): Promise<Buffer> {
  const pglite = await PGlite.create({});
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  try {
    await migrate(db);
    // uncompressed: loading a plain tar is faster than unzipping one in every test file
    const dump = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
    mkdirSync(CACHE_DIR, { recursive: true });
    const file = pgliteFile();
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, dump);
    renameSync(tmp, file);
    return dump;
  } finally {
    await db.destroy();
    await pglite.close();
  }
}

/** Makes the PGlite dump if missing and removes dumps of other migration states. */
export async function preparePgliteSnapshot(): Promise<void> {
  await pgliteSnapshot();
  const current = `pglite-${migrationsKey()}.tar`;
  const now = Date.now();
  for (const name of readdirSync(CACHE_DIR)) {
    if (name === current || !name.startsWith('pglite-')) continue;
    const path = join(CACHE_DIR, name);
    // a file another run is still reading (or writing) is left for a later run
    if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
  }
}

// ------------------------------------------------------------------------------ PostgreSQL

export const templateName = () => `fanli_tpl_${migrationsKey()}`;

/** The URL of another database on the server DATABASE_URL names. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` with a client on the server's own database (DATABASE_URL). */
export async function withAdmin<T>(serverUrl: string, work: (c: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Makes the migrated template database on the PostgreSQL server if it is missing. Built
 * under a temporary name and renamed when complete, one process at a time (an advisory
 * lock), then closed to connections: PostgreSQL copies a template only while nobody is
 * connected to it.
 */
export async function ensurePostgresTemplate(serverUrl: string): Promise<string> {
  const name = templateName();
  await withAdmin(serverUrl, async (admin) => {
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount) return;
      const building = `${name}_build`;
      await admin.query(`drop database if exists ${building} with (force)`);
      await admin.query(`create database ${building}`);
      const database = await openDatabase({
        databaseUrl: databaseUrl(serverUrl, building),
        poolSize: 1,
      });
      try {
        await migrate(database.db);
      } finally {
        await database.close();
      }
      await admin.query(`alter database ${building} rename to ${name}`);
      await admin.query(`alter database ${name} with is_template true allow_connections false`);
      await admin.query(`comment on database ${name} is 'fanli test template ${Date.now()}'`);
    } finally {
      await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return name;
}

/** A new test database's name; it carries its creation time so a leftover can be recognised by age. */
export const testDatabaseName = () =>
  `fanli_test_${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(4).toString('hex')}`;

/**
 * Drops templates of other migration states once they are an hour old (another run may
 * still be copying a recent one), and test databases a crashed run left behind.
 */
export async function dropStalePostgres(serverUrl: string): Promise<void> {
  const now = Date.now();
  await withAdmin(serverUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string; note: string | null }>(
      `select datname, shobj_description(oid, 'pg_database') as note from pg_database
        where datname like 'fanli\\_tpl\\_%' or datname like 'fanli\\_test\\_%'`,
    );
    for (const { datname, note } of rows) {
      let builtMs: number;
      if (datname.startsWith('fanli_tpl_')) {
        if (datname === templateName() || datname.endsWith('_build')) continue;
        builtMs = Number(/template (\d+)/.exec(note ?? '')?.[1] ?? 0);
        if (now - builtMs < STALE_MS) continue;
        await admin.query(`alter database ${datname} with is_template false`);
      } else {
        const stamp = /^fanli_test_([0-9a-z]+)_[0-9a-f]+$/.exec(datname)?.[1];
        if (!stamp) continue;
        builtMs = parseInt(stamp, 36) * 1000;
        if (now - builtMs < LEFTOVER_MS) continue;
      }
      await admin.query(`drop database if exists ${datname} with (force)`);
    }
  });
}
