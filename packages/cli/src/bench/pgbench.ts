import { writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '@fanli/server';
import { machineBusySeconds, pgbenchBinary, runCmd } from './procs.ts';

/**
 * The reference ceiling: pgbench running the writes of one paid order as one
 * transaction, on tables of the same shape, in the same database, on the same machine.
 *
 * - `order` (the ceiling the target is measured against) makes the writes one bench
 *   order makes in Fanli with every rule on: the order row, the conditional stock
 *   update, its six ledger rows (payment, two commissions, cashback points, the queue
 *   contribution and one payout) and its eight balance updates — four users' accounts,
 *   then the gateway's, the merchant's cash and points and the queue pool's, last and in
 *   id order as Fanli writes them (hot rows, held only through COMMIT).
 * - `minimal` is the smaller transaction first used here: the order row, the stock
 *   update, four ledger rows and two balance updates (the buyer's and the merchant's).
 */
export async function setupPgbench(db: Db) {
  await sql
    .raw(
      `drop schema if exists pgb cascade;
       create schema pgb;
       create table pgb.accounts (id bigint primary key, debits bigint not null default 0, credits bigint not null default 0,
                                  check (credits - debits >= -1000000000000));
       insert into pgb.accounts (id) select i from generate_series(0, 100010) i;
       create table pgb.skus (id bigint primary key, stock integer not null check (stock >= 0));
       insert into pgb.skus select i, 100000000 from generate_series(1, 20000) i;
       create table pgb.orders (id bigserial primary key, order_no text not null unique, user_id bigint not null,
                                state text not null, payable_fen bigint not null, address jsonb not null,
                                created_at timestamptz not null default now());
       create index on pgb.orders (user_id, id desc);
       create table pgb.ledger (id bigserial primary key, debit bigint not null references pgb.accounts(id),
                                credit bigint not null references pgb.accounts(id), amount bigint not null check (amount > 0),
                                reason text not null, source_id text, created_at timestamptz not null default now());
       create index on pgb.ledger (debit, id);
       create index on pgb.ledger (credit, id);
       analyze pgb.accounts; analyze pgb.skus;`,
    )
    .execute(db);
}

// accounts 1…100000 are users; 0 the merchant's cash, 100001 the gateway, 100002 the
// merchant's points, 100003 the queue pool
const SCRIPTS = {
  order: `\\set buyer random(1, 100000)
\\set ref1 random(1, 100000)
\\set ref2 random(1, 100000)
\\set payee random(1, 100000)
\\set sku random(1, 20000)
\\set amt random(1000, 50000)
BEGIN;
INSERT INTO pgb.orders (order_no, user_id, state, payable_fen, address) VALUES ('P' || :client_id || '-' || nextval('pgb.orders_id_seq'), :buyer, 'paid', :amt, '{"city":"深圳"}');
UPDATE pgb.skus SET stock = stock - 1 WHERE id = :sku AND stock >= 1;
INSERT INTO pgb.ledger (debit, credit, amount, reason, source_id) VALUES (100001, 0, :amt, 'order.paid', 'o');
INSERT INTO pgb.ledger (debit, credit, amount, reason, source_id) VALUES (0, :ref1, :amt / 10, 'reward.commission', 'o');
INSERT INTO pgb.ledger (debit, credit, amount, reason, source_id) VALUES (0, :ref2, :amt / 20, 'reward.commission', 'o');
INSERT INTO pgb.ledger (debit, credit, amount, reason, source_id) VALUES (100002, :buyer, 5, 'reward.cashback', 'o');
INSERT INTO pgb.ledger (debit, credit, amount, reason, source_id) VALUES (0, 100003, :amt * 65 / 100, 'queue.contribution', 'o');
INSERT INTO pgb.ledger (debit, credit, amount, reason, source_id) VALUES (100003, :payee, :amt * 65 / 100, 'queue.payout', 'o');
UPDATE pgb.accounts SET credits = credits + :amt / 10 WHERE id = :ref1;
UPDATE pgb.accounts SET credits = credits + :amt / 20 WHERE id = :ref2;
UPDATE pgb.accounts SET credits = credits + 5 WHERE id = :buyer;
UPDATE pgb.accounts SET credits = credits + :amt * 65 / 100 WHERE id = :payee;
UPDATE pgb.accounts SET credits = credits + :amt, debits = debits + :amt / 10 + :amt / 20 + :amt * 65 / 100 WHERE id = 0;
UPDATE pgb.accounts SET debits = debits + :amt WHERE id = 100001;
UPDATE pgb.accounts SET debits = debits + 5 WHERE id = 100002;
UPDATE pgb.accounts SET credits = credits + :amt * 65 / 100, debits = debits + :amt * 65 / 100 WHERE id = 100003;
END;
`,
  minimal: `\\set uid random(1, 100000)
\\set sku random(1, 20000)
\\set amt random(1000, 50000)
BEGIN;
INSERT INTO pgb.orders (order_no, user_id, state, payable_fen, address) VALUES ('P' || :client_id || '-' || nextval('pgb.orders_id_seq'), :uid, 'paid', :amt, '{"city":"深圳"}');
UPDATE pgb.skus SET stock = stock - 1 WHERE id = :sku AND stock >= 1;
INSERT INTO pgb.ledger (debit, credit, amount, reason, source_id) VALUES (0, :uid, :amt, 'order.paid', 'o');
INSERT INTO pgb.ledger (debit, credit, amount, reason, source_id) VALUES (:uid, 0, :amt, 'order.commission', 'o');
INSERT INTO pgb.ledger (debit, credit, amount, reason, source_id) VALUES (0, :uid, 1, 'order.cashback', 'o');
INSERT INTO pgb.ledger (debit, credit, amount, reason, source_id) VALUES (:uid, 0, 1, 'queue.payout', 'o');
UPDATE pgb.accounts SET credits = credits + :amt WHERE id = :uid;
UPDATE pgb.accounts SET debits = debits + :amt WHERE id = 0;
END;
`,
};
export type PgbenchScript = keyof typeof SCRIPTS;

export interface PgbenchResult {
  clients: number;
  seconds: number;
  tps: number;
  latencyMs: number | null;
  /** transactions pgbench completed */
  transactions: number;
  /** the whole machine's busy CPU per transaction (pgbench, PostgreSQL and its writers) */
  machineCpuMsPerTx: number;
}

export async function runPgbench(
  url: string,
  clients: number,
  seconds: number,
  scriptFile: string,
  script: PgbenchScript = 'order',
): Promise<PgbenchResult> {
  writeFileSync(scriptFile, SCRIPTS[script]);
  const busy0 = machineBusySeconds();
  const { code, output } = await runCmd(pgbenchBinary(), [
    '-n',
    '-c',
    String(clients),
    '-j',
    '2',
    '-T',
    String(seconds),
    '-f',
    scriptFile,
    url,
  ]);
  const tps =
    /tps = ([\d.]+) \(without initial connection time\)/.exec(output) ??
    /tps = ([\d.]+)/.exec(output);
  if (code !== 0 || !tps) throw new Error(`pgbench failed (${code}): ${output.slice(-1500)}`);
  const busy = machineBusySeconds() - busy0;
  const lat = /latency average = ([\d.]+) ms/.exec(output);
  const done = /number of transactions actually processed: (\d+)/.exec(output);
  const transactions = done ? Number(done[1]) : Math.round(Number(tps[1]) * seconds);
  return {
    clients,
    seconds,
    tps: Number(tps[1]),
    latencyMs: lat ? Number(lat[1]) : null,
    transactions,
    machineCpuMsPerTx: transactions ? (busy * 1000) / transactions : 0,
  };
}
