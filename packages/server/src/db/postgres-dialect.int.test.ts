import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { runWithCommit } from './postgres-dialect.ts';
import { inTx, type Tx } from './tx.ts';
import { DB_KIND, freshDatabase } from '../../test/db.ts';

let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  await sql`create table commit_probe (id int primary key)`.execute(database.db);
});
afterAll(async () => {
  await database.close();
});

/** What the ledger does with its last write: hand it to COMMIT, or run it where it cannot. */
async function last(tx: Tx, text: string) {
  if (!(await runWithCommit(tx, text))) await sql.raw(text).execute(tx);
}

const ids = async () =>
  (
    await sql<{ id: number }>`select id from commit_probe order by id`.execute(database.db)
  ).rows.map((r) => r.id);

describe(`statements sent with COMMIT (${DB_KIND})`, () => {
  it('run with the commit; when they fail, nothing of the transaction stays and the connection is clean', async () => {
    const { db } = database;
    await inTx(db, async (tx) => {
      await sql`insert into commit_probe values (1)`.execute(tx);
      await last(tx, 'insert into commit_probe values (2)');
    });
    expect(await ids()).toEqual([1, 2]);

    await expect(
      inTx(db, async (tx) => {
        await sql`insert into commit_probe values (3)`.execute(tx);
        await last(tx, 'insert into commit_probe values (1)'); // duplicate key
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await ids()).toEqual([1, 2]);

    // every pooled connection takes new transactions without anything left over
    await Promise.all(
      [10, 11, 12, 13, 14, 15, 16, 17].map((id) =>
        inTx(db, (tx) => sql`insert into commit_probe values (${id})`.execute(tx)),
      ),
    );
    expect(await ids()).toEqual([1, 2, 10, 11, 12, 13, 14, 15, 16, 17]);
  });
});
