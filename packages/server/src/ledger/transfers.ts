import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../db/tx.ts';
import { registryOf } from '../app/registry.ts';
import type { LedgerTransfer, LedgerTransfersTable } from '../db/schema.ts';
import type { Insertable } from 'kysely';
import {
  accountInfo,
  accountInfoById,
  accountInfos,
  type AccountInfo,
  type AccountRef,
} from './accounts.ts';
import { COLUMNS, canDefer, defer, type Deltas } from './deferred.ts';

export interface TransferInput {
  debit: AccountRef;
  credit: AccountRef;
  /** positive integer in the asset's unit (fen for cash) */
  amount: number;
  /** why the money moved, e.g. `order.paid`, `reward.referral`, `withdrawal` */
  reason: string;
  source?: { type: string; id: string | number };
  /** the same key never moves money twice */
  idempotencyKey?: string;
  /** pending (two-phase): reserved now, posted or voided later */
  pending?: boolean;
  memo?: Record<string, unknown>;
  at: Date;
}

export type TransferResult =
  | { ok: true; transfer: LedgerTransfer; replayed: boolean }
  | { ok: false; code: 'INSUFFICIENT_FUNDS' };

export type ResolveResult =
  | { ok: true; transfer: LedgerTransfer }
  | {
      ok: false;
      code: 'TRANSFER_NOT_FOUND' | 'TRANSFER_NOT_PENDING' | 'TRANSFER_ALREADY_RESOLVED';
    };

/**
 * Called inside the transaction each time a transfer becomes posted (at once, or a pending
 * one being posted), after the balances changed. Bookkeeping that must follow every posted
 * movement of an asset (e.g. points lots, consumed oldest first) hangs here instead of at
 * each call site. Observers filter by `transfer.asset` themselves and must be cheap. A
 * module declares them in the module table (`ledgerObservers`).
 */
export type LedgerObserver = (tx: Tx, transfer: LedgerTransfer) => Promise<void>;

async function notifyPosted(tx: Tx, transfer: LedgerTransfer): Promise<void> {
  for (const observe of registryOf(tx).ledgerObservers) await observe(tx, transfer);
}

/** Thrown when a unique key races with another transaction: inTx re-runs the whole use-case. */
export class RetryTransaction extends Error {
  readonly code = '40001';
}

/**
 * An idempotency key came back with other terms than the transfer it first wrote (another
 * amount, account, asset, reason or phase). Replaying it would report a movement that is
 * not the one asked for, so it is refused as a bug in the caller, like TigerBeetle's
 * `exists_with_different_amount`: the key names one movement, forever.
 */
export class IdempotencyKeyReused extends Error {
  constructor(
    readonly key: string,
    readonly differs: string[],
  ) {
    super(`ledger idempotency key ${key} was used for another transfer (${differs.join(', ')})`);
  }
}

interface Terms {
  kind: 'posted' | 'pending';
  debitAccountId: number;
  creditAccountId: number;
  asset: string;
  amount: number;
  reason: string;
}

/** The first transfer a key wrote, refused unless the caller asked for the same movement. */
function replayOf(key: string, existing: LedgerTransfer, asked: Terms): TransferResult {
  const seen: Terms = {
    kind: existing.kind as Terms['kind'],
    debitAccountId: Number(existing.debit_account_id),
    creditAccountId: Number(existing.credit_account_id),
    asset: existing.asset,
    amount: Number(existing.amount),
    reason: existing.reason,
  };
  const differs = (Object.keys(asked) as (keyof Terms)[]).filter((k) => seen[k] !== asked[k]);
  if (differs.length > 0) throw new IdempotencyKeyReused(key, differs);
  return { ok: true, transfer: existing, replayed: true };
}

function assertAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new Error(`ledger amount must be a positive safe integer, got ${amount}`);
  }
}

type Change = { account: AccountInfo; add: Deltas };

/**
 * Applies the balance changes of one transfer. System accounts' changes are deferred to
 * just before COMMIT (see deferred.ts). Users' rows are locked first, in ascending id
 * order, so two transfers touching the same pair of accounts queue instead of
 * deadlocking. With the lock held, the overdraft guard reads a balance nobody else can
 * change before this transaction ends; if it fails, nothing has been written. The CHECK
 * constraint on the table stays as the last line of defence.
 */
/** `SET debits_posted = debits_posted + CASE id …` for the columns the changes touch. */
function setsFor(changes: Change[]): Record<string, RawBuilder<number>> {
  const sets: Record<string, RawBuilder<number>> = {};
  for (const column of COLUMNS) {
    const touched = changes.filter((c) => c.add[column]);
    if (touched.length === 0) continue;
    const cases = touched.map(
      (c) => sql`when ${c.account.id}::bigint then ${c.add[column]}::bigint`,
    );
    sets[column] =
      sql<number>`${sql.ref(column)} + (case id ${sql.join(cases, sql` `)} else 0 end)`;
  }
  return sets;
}

/** The changes written at once: users' accounts, or every one outside `inTx` (deferred.ts). */
function writtenNow(tx: Tx, changes: Change[]): Change[] {
  return canDefer(tx) ? changes.filter((c) => c.account.noOverdraft) : changes;
}

async function applyChanges(
  tx: Tx,
  changes: Change[],
  guard?: { accountId: number; amount: number },
): Promise<boolean> {
  const now = writtenNow(tx, changes);
  const later = changes.filter((c) => !now.includes(c));
  const guarded = guard !== undefined && now.some((c) => c.account.id === guard.accountId);
  const ids = now.map((c) => c.account.id);
  // One row and no guard: the UPDATE takes the row lock itself. Otherwise lock first, in
  // id order, and read the guarded balance under the lock.
  if (guarded || now.length > 1) {
    const locked = await tx
      .selectFrom('ledger_accounts')
      .select(['id', 'no_overdraft', 'credits_posted', 'debits_posted', 'debits_pending'])
      .where('id', 'in', ids)
      .orderBy('id')
      .forNoKeyUpdate()
      .execute();
    if (guard && guarded) {
      const row = locked.find((r) => r.id === guard.accountId);
      if (!row) throw new Error(`ledger account ${guard.accountId} not found`);
      const available = row.credits_posted - row.debits_posted - row.debits_pending;
      if (row.no_overdraft && available < guard.amount) return false;
    }
  }
  if (now.length > 0) {
    await tx.updateTable('ledger_accounts').set(setsFor(now)).where('id', 'in', ids).execute();
  }
  // deferred only once the guard has passed: a refused transfer changes nothing
  for (const c of later) defer(tx, c.account.id, c.add);
  return true;
}

/**
 * A concurrent transaction took the same idempotency key or resolved the same pending
 * transfer: re-run the whole use-case, which will then see the committed row.
 */
async function retryOnUniqueRace<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new RetryTransaction('ledger unique race');
    throw err;
  }
}

function insertTransfer(tx: Tx, values: Insertable<LedgerTransfersTable>) {
  return retryOnUniqueRace(
    tx.insertInto('ledger_transfers').values(values).returningAll().executeTakeFirstOrThrow(),
  );
}

/**
 * Moves `amount` of one asset from `debit` to `credit`, posted at once or pending.
 * Fails as a value when a user account would be overdrawn; replays (no second movement)
 * when the idempotency key was used before.
 *
 * @example
 * await transfer(tx, { debit: merchantAccount('cash'), credit: userAccount(7, 'cash'),
 *   amount: 5000, reason: 'referral.reward', pending: true, at: clock.now() });
 */
export async function transfer(tx: Tx, input: TransferInput): Promise<TransferResult> {
  assertAmount(input.amount);
  if (input.debit.asset !== input.credit.asset) throw new Error('a transfer moves one asset');
  const [debit, credit] = [await accountInfo(tx, input.debit), await accountInfo(tx, input.credit)];
  const pending = input.pending === true;
  const changes: Change[] = [
    {
      account: debit,
      add: pending ? { debits_pending: input.amount } : { debits_posted: input.amount },
    },
    {
      account: credit,
      add: pending ? { credits_pending: input.amount } : { credits_posted: input.amount },
    },
  ];
  const values: Insertable<LedgerTransfersTable> = {
    kind: pending ? 'pending' : 'posted',
    pending_id: null,
    debit_account_id: debit.id,
    credit_account_id: credit.id,
    asset: input.debit.asset,
    amount: input.amount,
    reason: input.reason,
    source_type: input.source?.type ?? null,
    source_id: input.source ? String(input.source.id) : null,
    idempotency_key: input.idempotencyKey ?? null,
    memo: JSON.stringify(input.memo ?? {}),
    created_at: input.at,
  };
  const replay = async (key: string): Promise<TransferResult> => {
    const existing = await tx
      .selectFrom('ledger_transfers')
      .selectAll()
      .where('idempotency_key', '=', key)
      .executeTakeFirstOrThrow();
    return replayOf(key, existing, {
      kind: pending ? 'pending' : 'posted',
      debitAccountId: debit.id,
      creditAccountId: credit.id,
      asset: input.debit.asset,
      amount: input.amount,
      reason: input.reason,
    });
  };
  let row: LedgerTransfer;
  if (!debit.noOverdraft) {
    // Nothing to check: write the row first, and let the unique key turn an earlier or
    // concurrent twin into a replay before any balance moves. The one row written now (a
    // user's credit; system accounts wait for COMMIT) goes in the same statement.
    const now = writtenNow(tx, changes);
    const single = now.length === 1 ? now[0] : undefined;
    const insert = (db: Tx) => {
      const q = db.insertInto('ledger_transfers').values(values);
      return (
        input.idempotencyKey ? q.onConflict((oc) => oc.column('idempotency_key').doNothing()) : q
      ).returningAll();
    };
    const inserted = await retryOnUniqueRace(
      single
        ? tx
            .with('t', (db) => insert(db as unknown as Tx))
            .with('u', (db) =>
              db
                .updateTable('ledger_accounts')
                .set(setsFor([single]))
                .where('id', '=', single.account.id)
                .where((eb) => eb.exists(eb.selectFrom('t').select('t.id')))
                .returning('ledger_accounts.id'),
            )
            .selectFrom('t')
            .selectAll()
            .executeTakeFirst()
        : insert(tx).executeTakeFirst(),
    );
    if (!inserted) return replay(input.idempotencyKey as string);
    if (single) for (const c of changes) if (c !== single) defer(tx, c.account.id, c.add);
    if (!single) await applyChanges(tx, changes);
    row = inserted;
  } else {
    if (input.idempotencyKey) {
      const seen = await tx
        .selectFrom('ledger_transfers')
        .select('id')
        .where('idempotency_key', '=', input.idempotencyKey)
        .executeTakeFirst();
      if (seen) return replay(input.idempotencyKey);
    }
    const moved = await applyChanges(tx, changes, { accountId: debit.id, amount: input.amount });
    if (!moved) return { ok: false, code: 'INSUFFICIENT_FUNDS' };
    row = await insertTransfer(tx, values);
  }
  if (!pending) await notifyPosted(tx, row);
  return { ok: true, transfer: row, replayed: false };
}

/**
 * Several transfers that each debit a system account (nothing to check: system accounts
 * never refuse) in one statement: their rows, and the users' balances they credit, locked
 * in id order and written together; system accounts wait for COMMIT as in `transfer`. A key
 * used before makes its transfer a replay. Results are in the order of `inputs`.
 * Anything else — a user's debit, or a transaction not opened by `inTx` — goes through
 * `transfer` one by one.
 */
export async function transferMany(
  tx: Tx,
  inputs: (TransferInput & { idempotencyKey: string })[],
): Promise<TransferResult[]> {
  if (
    inputs.length < 2 ||
    !canDefer(tx) ||
    inputs.some((i) => i.debit.ownerType === 'user') ||
    new Set(inputs.map((i) => i.idempotencyKey)).size < inputs.length
  ) {
    const out: TransferResult[] = [];
    for (const input of inputs) out.push(await transfer(tx, input));
    return out;
  }
  for (const input of inputs) {
    assertAmount(input.amount);
    if (input.debit.asset !== input.credit.asset) throw new Error('a transfer moves one asset');
  }
  const accounts = await accountInfos(
    tx,
    inputs.flatMap((i) => [i.debit, i.credit]),
  );
  const rows = inputs.map((input, n) => {
    const [debit, credit] = [accounts[2 * n]!, accounts[2 * n + 1]!];
    return {
      debit,
      credit,
      values: sql`(${input.pending ? 'pending' : 'posted'}::text, ${debit.id}::bigint, ${credit.id}::bigint,
        ${input.debit.asset}::text, ${input.amount}::bigint, ${input.reason}::text,
        ${input.source?.type ?? null}::text, ${input.source ? String(input.source.id) : null}::text,
        ${input.idempotencyKey}::text, ${JSON.stringify(input.memo ?? {})}::jsonb, ${input.at}::timestamptz)`,
    };
  });
  const users = [...new Set(rows.filter((r) => r.credit.noOverdraft).map((r) => r.credit.id))];
  const inserted = (
    await retryOnUniqueRace(
      sql<LedgerTransfer>`
        with t as (
          insert into ledger_transfers (kind, debit_account_id, credit_account_id, asset, amount,
                                        reason, source_type, source_id, idempotency_key, memo, created_at)
          values ${sql.join(rows.map((r) => r.values))}
          on conflict (idempotency_key) do nothing
          returning *),
        d as (
          select credit_account_id as id,
                 sum(case when kind = 'posted' then amount else 0 end)::bigint as cp,
                 sum(case when kind = 'pending' then amount else 0 end)::bigint as cpe
            from t where credit_account_id = any(${users}::bigint[]) group by credit_account_id),
        locked as materialized (
          select a.id from ledger_accounts a where a.id in (select id from d) order by a.id for no key update),
        u as (
          update ledger_accounts a
             set credits_posted = a.credits_posted + d.cp, credits_pending = a.credits_pending + d.cpe
            from d where a.id = d.id and (select count(*) from locked) >= 0
          returning a.id)
        select * from t`.execute(tx),
    )
  ).rows;
  const byKey = new Map(inserted.map((t) => [t.idempotency_key, t]));
  const replayed = inputs.filter((i) => !byKey.has(i.idempotencyKey)).map((i) => i.idempotencyKey);
  const earlier = replayed.length
    ? new Map(
        (
          await tx
            .selectFrom('ledger_transfers')
            .selectAll()
            .where('idempotency_key', 'in', replayed)
            .execute()
        ).map((t) => [t.idempotency_key, t]),
      )
    : new Map<string | null, LedgerTransfer>();
  const out: TransferResult[] = [];
  for (const [n, input] of inputs.entries()) {
    const row = byKey.get(input.idempotencyKey);
    if (!row) {
      const existing = earlier.get(input.idempotencyKey);
      if (!existing) throw new Error(`transfer ${input.idempotencyKey} neither written nor found`);
      out.push(
        replayOf(input.idempotencyKey, existing, {
          kind: input.pending ? 'pending' : 'posted',
          debitAccountId: rows[n]!.debit.id,
          creditAccountId: rows[n]!.credit.id,
          asset: input.debit.asset,
          amount: input.amount,
          reason: input.reason,
        }),
      );
      continue;
    }
    const { debit, credit } = rows[n]!;
    const pending = row.kind === 'pending';
    defer(tx, debit.id, pending ? { debits_pending: row.amount } : { debits_posted: row.amount });
    if (!credit.noOverdraft)
      defer(
        tx,
        credit.id,
        pending ? { credits_pending: row.amount } : { credits_posted: row.amount },
      );
    if (!pending) await notifyPosted(tx, row);
    out.push({ ok: true, transfer: row, replayed: false });
  }
  return out;
}

async function resolvePending(
  tx: Tx,
  pendingId: number,
  kind: 'post_pending' | 'void_pending',
  opts: { at: Date; reason?: string },
): Promise<ResolveResult> {
  // Lock the pending row (no UPDATE: the table is append-only) so two resolvers queue up.
  // A resolver that waited may still read `resolved` from before: its insert then hits the
  // unique pending_id and the use-case re-runs (RetryTransaction).
  const found = await tx
    .selectFrom('ledger_transfers as t')
    .selectAll('t')
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('ledger_transfers as r')
            .select('r.id')
            .whereRef('r.pending_id', '=', 't.id'),
        )
        .as('resolved'),
    )
    .where('t.id', '=', pendingId)
    .forUpdate('t')
    .executeTakeFirst();
  if (!found) return { ok: false, code: 'TRANSFER_NOT_FOUND' };
  const { resolved, ...pending } = found;
  if (pending.kind !== 'pending') return { ok: false, code: 'TRANSFER_NOT_PENDING' };
  if (resolved) return { ok: false, code: 'TRANSFER_ALREADY_RESOLVED' };
  const amount = pending.amount;
  const post = kind === 'post_pending';
  await applyChanges(tx, [
    {
      account: await accountInfoById(tx, pending.debit_account_id),
      add: post ? { debits_pending: -amount, debits_posted: amount } : { debits_pending: -amount },
    },
    {
      account: await accountInfoById(tx, pending.credit_account_id),
      add: post
        ? { credits_pending: -amount, credits_posted: amount }
        : { credits_pending: -amount },
    },
  ]);
  const row = await insertTransfer(tx, {
    kind,
    pending_id: pendingId,
    debit_account_id: pending.debit_account_id,
    credit_account_id: pending.credit_account_id,
    asset: pending.asset,
    amount,
    reason: opts.reason ?? pending.reason,
    source_type: pending.source_type,
    source_id: pending.source_id,
    idempotency_key: null,
    memo: JSON.stringify({}),
    created_at: opts.at,
  });
  if (post) await notifyPosted(tx, row);
  return { ok: true, transfer: row };
}

/** Makes a pending transfer final: the reserved amount becomes posted (e.g. a reward becomes available). */
export function postPending(tx: Tx, pendingId: number, opts: { at: Date; reason?: string }) {
  return resolvePending(tx, pendingId, 'post_pending', opts);
}

/** Cancels a pending transfer: the reservation is released on both sides (e.g. refund inside the window). */
export function voidPending(tx: Tx, pendingId: number, opts: { at: Date; reason?: string }) {
  return resolvePending(tx, pendingId, 'void_pending', opts);
}
