import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { inTx } from '../db/tx.ts';
import { ManualClock } from '../clock/clock.ts';
import { DB_KIND, freshDatabase } from '../../test/db.ts';
import { enqueue } from './queue.ts';
import { vacuumHotTables } from './maintenance.ts';
import { CLAIM_LEASE_MS, JobRunner, type JobHandler } from './runner.ts';

let database: Database;
const clock = new ManualClock(new Date('2026-02-01T00:00:00Z'));

beforeAll(async () => {
  database = await freshDatabase();
  await sql`create table job_effects (job_id bigint not null, runner text not null)`.execute(
    database.db,
  );
});
afterAll(async () => database.close());

// The effect of a job: a row naming the job. Running a job twice would show as two rows.
const recordEffect =
  (runner: string): JobHandler =>
  async (tx, job) => {
    await sql`insert into job_effects (job_id, runner) values (${job.id}, ${runner})`.execute(tx);
  };

describe(`hot tables (${DB_KIND})`, () => {
  it('vacuuming them removes the dead versions their updates leave', async () => {
    const { db } = database;
    const ids = await sql<{ id: number }>`
      insert into ledger_accounts (owner_type, owner_id, asset, no_overdraft)
      select 'user', 'vac-' || i, 'cash', true from generate_series(1, 50) i returning id`.execute(
      db,
    );
    for (let n = 0; n < 20; n++)
      await sql`update ledger_accounts set credits_posted = credits_posted + 1
                 where id = any(${ids.rows.map((r) => r.id)}::bigint[])`.execute(db);
    await vacuumHotTables(db);
    const stats = await sql<{ dead: string; vacuumed: Date | null }>`
      select n_dead_tup as dead, last_vacuum as vacuumed from pg_stat_user_tables
       where relname = 'ledger_accounts'`.execute(db);
    expect(stats.rows[0]?.vacuumed).not.toBeNull();
    expect(Number(stats.rows[0]?.dead)).toBe(0);
  });
});

describe('durable jobs', () => {
  it('never runs a job whose scheduling transaction rolled back', async () => {
    const { db } = database;
    await expect(
      inTx(db, async (tx) => {
        await enqueue(
          tx,
          { kind: 'test.effect', runAt: clock.now(), payload: { n: 1 } },
          clock.now(),
        );
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');
    const runner = new JobRunner({ db, clock, handlers: { 'test.effect': recordEffect('a') } });
    expect(await runner.runDue()).toBe(0);
  });

  it('runs a job only when due, once, and keeps one job per unique key', async () => {
    const { db } = database;
    await inTx(db, async (tx) => {
      await enqueue(
        tx,
        {
          kind: 'test.later',
          runAt: new Date(clock.now().getTime() + 60_000),
          uniqueKey: 'later-1',
        },
        clock.now(),
      );
      await enqueue(
        tx,
        {
          kind: 'test.later',
          runAt: new Date(clock.now().getTime() + 60_000),
          uniqueKey: 'later-1',
        },
        clock.now(),
      );
    });
    const runner = new JobRunner({ db, clock, handlers: { 'test.later': recordEffect('a') } });
    expect(await runner.runDue()).toBe(0);
    clock.advance(60_000);
    expect(await runner.runDue()).toBe(1);
    expect(await runner.runDue()).toBe(0);
  });

  it('retries a failing job with backoff and gives up after max attempts, keeping no partial effect', async () => {
    const { db } = database;
    await inTx(db, (tx) =>
      enqueue(tx, { kind: 'test.flaky', runAt: clock.now(), maxAttempts: 3 }, clock.now()),
    );
    let calls = 0;
    const errors: string[] = [];
    const runner = new JobRunner({
      db,
      clock,
      handlers: {
        'test.flaky': async (tx, job) => {
          calls++;
          await sql`insert into job_effects (job_id, runner) values (${job.id}, 'flaky')`.execute(
            tx,
          );
          throw new Error(`boom ${calls}`);
        },
      },
      onError: (_job, err) => errors.push((err as Error).message),
    });
    expect(await runner.runDue()).toBe(1);
    expect(await runner.runDue()).toBe(0); // backoff: not due yet
    clock.advance(1_000);
    await runner.runDue();
    clock.advance(2_000);
    await runner.runDue();
    clock.advance(60_000);
    expect(await runner.runDue()).toBe(0);
    expect(calls).toBe(3);
    expect(errors).toEqual(['boom 1', 'boom 2', 'boom 3']);
    const job = await db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'test.flaky')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'dead', attempts: 3, last_error: 'boom 3' });
    const effects = await sql<{
      n: number;
    }>`select count(*)::int as n from job_effects where runner = 'flaky'`.execute(db);
    expect(effects.rows[0]!.n).toBe(0);
  });

  it('two runners on separate connections never run one job twice', async () => {
    const { db } = database;
    const url = process.env.DATABASE_URL;
    // On PostgreSQL the second runner gets its own pool, as a second server process would.
    const second = DB_KIND === 'postgres' ? await openSecond(url!, db) : undefined;
    const now = clock.now();
    await inTx(db, async (tx) => {
      for (let i = 0; i < 200; i++)
        await enqueue(tx, { kind: 'test.race', runAt: now, payload: { i } }, now);
    });
    const a = new JobRunner({ db, clock, handlers: { 'test.race': recordEffect('a') } });
    const b = new JobRunner({
      db: second?.db ?? db,
      clock,
      handlers: { 'test.race': recordEffect('b') },
    });
    const [ranA, ranB] = await Promise.all([
      a.runDue(1000),
      b.runDue(1000),
      a.runDue(1000),
      b.runDue(1000),
    ]);
    const rows = await sql<{ job_id: number; n: number }>`
      select e.job_id, count(*)::int as n from job_effects e join jobs j on j.id = e.job_id
      where j.kind = 'test.race' group by e.job_id`.execute(db);
    expect(rows.rows).toHaveLength(200);
    expect(rows.rows.every((r) => r.n === 1)).toBe(true);
    expect(ranA! + ranB!).toBeLessThanOrEqual(200);
    if (DB_KIND === 'postgres') {
      const runners = await sql<{
        runner: string;
      }>`select distinct runner from job_effects e join jobs j on j.id = e.job_id where j.kind = 'test.race'`.execute(
        db,
      );
      expect(runners.rows.length).toBe(2); // both really took part
    }
    await second?.close();
  });

  it('a scheduled job survives a restart of the embedded database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanli-jobs-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      await migrate(first.db);
      await inTx(first.db, (tx) =>
        enqueue(tx, { kind: 'test.persist', runAt: new Date('2026-02-02T00:00:00Z') }, clock.now()),
      );
      await first.close();
      const again = await openDatabase({ dataDir: dir });
      let ran = 0;
      const runner = new JobRunner({
        db: again.db,
        clock: new ManualClock(new Date('2026-02-03T00:00:00Z')),
        handlers: { 'test.persist': async () => void ran++ },
      });
      expect(await runner.runDue()).toBe(1);
      expect(ran).toBe(1);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`jobs that call the outside world (${DB_KIND})`, () => {
  it('run with no transaction open; a run that stalls is taken again only after its lease, and its late end changes nothing', async () => {
    const { db } = database;
    const [id] = [
      await inTx(db, (tx) =>
        enqueue(tx, { kind: 'test.outside', runAt: clock.now() }, clock.now()),
      ),
    ];
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    const a = new JobRunner({
      db,
      clock,
      handlers: {
        'test.outside': {
          // on PGlite's one connection this write would wait forever inside the claim's transaction
          outsideTx: async (job) => {
            await inTx(db, (tx) => recordEffect('a')(tx, job, clock.now()).then(() => undefined));
            await stalled;
          },
        },
      },
    });
    const b = new JobRunner({
      db,
      clock,
      handlers: {
        'test.outside': {
          outsideTx: async (job) => {
            await inTx(db, (tx) => recordEffect('b')(tx, job, clock.now()).then(() => undefined));
            return {
              again: { runAt: new Date(clock.now().getTime() + 3_600_000), payload: { n: 2 } },
            };
          },
        },
      },
    });
    const effects = () =>
      sql<{ runner: string }>`select runner from job_effects where job_id = ${id} order by runner`
        .execute(db)
        .then((r) => r.rows.map((e) => e.runner));
    const first = a.runOne();
    while ((await effects()).length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(await b.runOne()).toBe(false); // claimed: not taken while the lease runs
    clock.advance(CLAIM_LEASE_MS + 1000);
    expect(await b.runOne()).toBe(true); // the lease ran out: taken again, and it asks to run later
    release();
    expect(await first).toBe(true);
    expect(await effects()).toEqual(['a', 'b']);
    const job = await db
      .selectFrom('jobs')
      .select(['status', 'payload', 'run_at'])
      .where('id', '=', id!)
      .executeTakeFirstOrThrow();
    // the stalled run's end did not mark done a job another run had rescheduled
    expect(job).toMatchObject({ status: 'queued', payload: { n: 2 } });
    expect(job.run_at.getTime()).toBe(clock.now().getTime() + 3_600_000);
  });
});

async function openSecond(baseUrl: string, db: Database['db']): Promise<Database> {
  const name = (await sql<{ d: string }>`select current_database() as d`.execute(db)).rows[0]!.d;
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return openDatabase({ databaseUrl: url.toString(), poolSize: 5, onPoolError: () => {} });
}
