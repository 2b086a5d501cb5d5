import {
  CompiledQuery,
  PostgresDialect,
  PostgresDriver,
  type DatabaseConnection,
  type Driver,
  type PostgresDialectConfig,
  type TransactionSettings,
} from 'kysely';
import type { Tx } from './tx.ts';

/**
 * PostgreSQL through pg, with one addition: a transaction may hand over statements to be
 * sent together with its COMMIT, in one round trip (simple query protocol, so the text
 * has no parameters). The ledger writes the system accounts' balances that way, last. If
 * they fail, COMMIT is not run and the transaction rolls back as for any failed commit.
 */
const withCommit = new WeakMap<DatabaseConnection, string>();
const joining = new WeakSet<DatabaseConnection>();

class CommitJoiningDriver extends PostgresDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    const c = await super.acquireConnection();
    joining.add(c);
    return c;
  }
  override async beginTransaction(c: DatabaseConnection, s: TransactionSettings): Promise<void> {
    withCommit.delete(c);
    await super.beginTransaction(c, s);
  }
  override async commitTransaction(c: DatabaseConnection): Promise<void> {
    const before = withCommit.get(c);
    if (before === undefined) return super.commitTransaction(c);
    withCommit.delete(c);
    await c.executeQuery(CompiledQuery.raw(`${before};\ncommit`));
  }
  override async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    withCommit.delete(c);
    await super.rollbackTransaction(c);
  }
}

export class FanliPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;
  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new CommitJoiningDriver(this.#config);
  }
}

/**
 * Queues `text` (complete SQL without parameters) to run just before the transaction's
 * COMMIT, in the same round trip. Returns false when the connection cannot (PGlite, where
 * a round trip costs nothing): the caller then runs it itself.
 */
export async function runWithCommit(tx: Tx, text: string): Promise<boolean> {
  let queued = false;
  await tx.getExecutor().provideConnection(async (c) => {
    if (!joining.has(c)) return;
    const before = withCommit.get(c);
    withCommit.set(c, before === undefined ? text : `${before};\n${text}`);
    queued = true;
  });
  return queued;
}
