import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import { FanliPostgresDialect } from './postgres-dialect.ts';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… → PostgreSQL through a pool; otherwise embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` (or undefined) keeps it in memory. */
  dataDir?: string | undefined;
  /** PGlite: start from this dump of a data directory (`dumpDataDir`) instead of an empty one. */
  loadDataDir?: Blob | undefined;
  poolSize?: number | undefined;
  /** an idle pooled connection failed (e.g. the server restarted); the pool replaces it */
  onPoolError?: ((err: Error) => void) | undefined;
}

/**
 * bigint columns hold fen and counts; they stay far below 2^53 (90 trillion yuan), so
 * they are read as JS numbers — but never silently rounded: a value outside the safe
 * range is an error, not a wrong balance.
 */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value out of safe range: ${value}`);
  return n;
}

/**
 * Statements with parameters run as named prepared statements, so PostgreSQL parses and
 * plans each distinct text once per connection instead of on every call (a paid order
 * runs a few dozen small statements; parsing and planning was a large part of their
 * cost). Names are given per text for the life of the process and capped: texts past
 * the cap (unusual shapes, e.g. long IN lists) run unnamed as before.
 */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 5000;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `fanli_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

class PreparingClient extends pg.Client {
  // pg's query() has many overloads; this wraps only the (text, values) form Kysely uses
  override query(...args: unknown[]): never {
    const [text, values] = args;
    const call = pg.Client.prototype.query as (...a: unknown[]) => never;
    if (
      args.length === 2 &&
      typeof text === 'string' &&
      Array.isArray(values) &&
      values.length > 0
    ) {
      const name = statementName(text);
      if (name) return call.call(this, { name, text, values });
    }
    return call.apply(this, args);
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      Client: PreparingClient,
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 20
            ? parseInt8
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    const lost =
      options.onPoolError ??
      ((err: Error) => process.stderr.write(`database: connection lost: ${err.message}\n`));
    pool.on('error', lost);
    // A connection cut while checked out (database restart, pg_terminate_backend) emits
    // 'error' on its client, which the pool does not listen to then: unheard, it would
    // end the process. The query in flight fails on its own; the pool drops the client.
    pool.on('connect', (client) => client.on('error', lost));
    const db = new Kysely<DB>({ dialect: new FanliPostgresDialect({ pool }) });
    await sql`select 1`.execute(db);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dir = options.dataDir && options.dataDir !== 'memory://' ? options.dataDir : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create({
    ...(dir ? { dataDir: dir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: { [pgliteTypes.INT8]: parseInt8 },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
