import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { inTx } from '../db/tx.ts';
import { freshDatabase } from '../../test/db.ts';
import { buildRegistry, withRegistry } from '../app/registry.ts';
import { ledgerModule } from './module.ts';
import {
  balanceOf,
  gatewayAccount,
  merchantAccount,
  postPending,
  transfer,
  transferMany,
  userAccount,
  verifyLedger,
  voidPending,
  IdempotencyKeyReused,
  type AccountRef,
  type TransferInput,
} from './index.ts';

type TransferInputOf = TransferInput & { idempotencyKey: string };

let database: Database;
const at = new Date('2026-01-01T00:00:00Z');

beforeAll(async () => {
  const fresh = await freshDatabase();
  // as in the server: the system accounts' changes are written just before COMMIT
  database = { ...fresh, db: withRegistry(fresh.db, buildRegistry([ledgerModule])) };
});
afterAll(async () => {
  await database.close();
});

describe('ledger', () => {
  it('moves money, keeps pending apart from available, and balances', async () => {
    const { db } = database;
    const u = userAccount(9001, 'cash');
    await inTx(db, (tx) =>
      transfer(tx, {
        debit: gatewayAccount('sandbox'),
        credit: merchantAccount('cash'),
        amount: 16800,
        reason: 'order.paid',
        at,
      }),
    );
    const pending = await inTx(db, (tx) =>
      transfer(tx, {
        debit: merchantAccount('cash'),
        credit: u,
        amount: 10920,
        reason: 'reward.queue',
        pending: true,
        at,
      }),
    );
    expect(pending.ok).toBe(true);
    expect(await balanceOf(db, u)).toEqual({ available: 0, pendingIn: 10920, pendingOut: 0 });
    // pending money cannot be spent
    const spend = await inTx(db, (tx) =>
      transfer(tx, {
        debit: u,
        credit: merchantAccount('cash'),
        amount: 1,
        reason: 'order.balance',
        at,
      }),
    );
    expect(spend).toEqual({ ok: false, code: 'INSUFFICIENT_FUNDS' });
    if (!pending.ok) throw new Error('unreachable');
    const posted = await inTx(db, (tx) => postPending(tx, pending.transfer.id, { at }));
    expect(posted.ok).toBe(true);
    expect(await balanceOf(db, u)).toEqual({ available: 10920, pendingIn: 0, pendingOut: 0 });
    // resolved once only
    expect(await inTx(db, (tx) => voidPending(tx, pending.transfer.id, { at }))).toEqual({
      ok: false,
      code: 'TRANSFER_ALREADY_RESOLVED',
    });
    expect((await verifyLedger(db)).balanced).toBe(true);
  });

  it('several credits in one statement: balances as one by one, a used key replays, concurrent batches add up exactly', async () => {
    const { db } = database;
    const users = [9101, 9102, 9103];
    const batch = (tag: string, amount: number) =>
      users.flatMap((id, n) => [
        {
          debit: merchantAccount('cash'),
          credit: userAccount(id, 'cash'),
          amount: amount + n,
          reason: 'reward.commission',
          pending: true,
          idempotencyKey: `many:${tag}:${id}:pending`,
          at,
        },
        {
          debit: merchantAccount('points'),
          credit: userAccount(id, 'points'),
          amount: 10,
          reason: 'reward.cashback',
          idempotencyKey: `many:${tag}:${id}:points`,
          at,
        },
      ]);
    const first = await inTx(db, (tx) => transferMany(tx, batch('a', 100)));
    expect(first.map((r) => r.ok && r.replayed)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    // the same keys again, mixed with new ones: only the new ones move money
    const again = await inTx(db, (tx) =>
      transferMany(tx, [...batch('a', 100).slice(0, 2), ...batch('b', 1000).slice(0, 2)]),
    );
    expect(again.map((r) => r.ok && r.replayed)).toEqual([true, true, false, false]);
    if (!first[0]!.ok || !again[0]!.ok) throw new Error('unreachable');
    expect(again[0]!.transfer.id).toBe(first[0]!.transfer.id);
    // 20 batches at once, each crediting the same three users
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => inTx(db, (tx) => transferMany(tx, batch(`c${i}`, 1)))),
    );
    expect(await balanceOf(db, userAccount(9101, 'cash'))).toEqual({
      available: 0,
      pendingIn: 100 + 1000 + 20 * 1,
      pendingOut: 0,
    });
    expect(await balanceOf(db, userAccount(9103, 'cash'))).toEqual({
      available: 0,
      pendingIn: 102 + 20 * 3,
      pendingOut: 0,
    });
    expect(await balanceOf(db, userAccount(9101, 'points'))).toEqual({
      available: 10 + 10 + 20 * 10,
      pendingIn: 0,
      pendingOut: 0,
    });
    expect(await balanceOf(db, userAccount(9102, 'points'))).toEqual({
      available: 10 + 20 * 10,
      pendingIn: 0,
      pendingOut: 0,
    });
    const report = await verifyLedger(db);
    expect(report.mismatchedAccounts).toEqual([]);
    expect(report.balanced).toBe(true);
  });

  it('refuses to change or delete a posted row', async () => {
    const { db } = database;
    await expect(sql`update ledger_transfers set amount = amount + 1`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from ledger_transfers`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('refuses a balance below zero even when written directly', async () => {
    const { db } = database;
    await expect(
      sql`update ledger_accounts set debits_posted = debits_posted + 1000000 where owner_type = 'user'`.execute(
        db,
      ),
    ).rejects.toThrow();
  });

  it('replays a transfer with the same idempotency key instead of moving money twice', async () => {
    const { db } = database;
    const u = userAccount(9002, 'points');
    const input = {
      debit: merchantAccount('points'),
      credit: u,
      amount: 7,
      reason: 'cashback',
      idempotencyKey: 'cashback:o-77',
      at,
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => inTx(db, (tx) => transfer(tx, input))),
    );
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    expect((await balanceOf(db, u)).available).toBe(7);
  });

  it('refuses an idempotency key reused for another amount, account, asset or phase, writing nothing', async () => {
    const { db } = database;
    const u = userAccount(9004, 'cash');
    const input = {
      debit: merchantAccount('cash'),
      credit: u,
      amount: 500,
      reason: 'reward.referral',
      idempotencyKey: 'reward:9004:first',
      at,
    };
    const first = await inTx(db, (tx) => transfer(tx, input));
    if (!first.ok) throw new Error('first transfer refused');
    // the same movement again: the first one, not a second
    const again = await inTx(db, (tx) => transfer(tx, { ...input, memo: { retry: 1 } }));
    expect(again).toMatchObject({ ok: true, replayed: true, transfer: { id: first.transfer.id } });
    const written = async () =>
      Number(
        (
          await db
            .selectFrom('ledger_transfers')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = { rows: await written(), u: await balanceOf(db, u) };
    const others: [string, TransferInputOf][] = [
      ['amount', { ...input, amount: 501 }],
      ['credit account', { ...input, credit: userAccount(9005, 'cash') }],
      ['debit account', { ...input, debit: gatewayAccount('sandbox') }],
      [
        'asset',
        { ...input, debit: merchantAccount('points'), credit: userAccount(9004, 'points') },
      ],
      ['reason', { ...input, reason: 'reward.queue' }],
      ['phase', { ...input, pending: true }],
    ];
    for (const [what, other] of others) {
      await expect(
        inTx(db, (tx) => transfer(tx, other)),
        what,
      ).rejects.toThrow(IdempotencyKeyReused);
      // in a batch too, and the batch's other transfers are not written either
      await expect(
        inTx(db, (tx) =>
          transferMany(tx, [
            { ...other, idempotencyKey: input.idempotencyKey },
            { ...input, amount: 3, idempotencyKey: `reward:9004:${what}` },
          ]),
        ),
        `${what} (batch)`,
      ).rejects.toThrow(IdempotencyKeyReused);
    }
    // a user's debit (the guarded path) reusing a key for another amount
    await expect(
      inTx(db, (tx) =>
        transfer(tx, {
          debit: u,
          credit: gatewayAccount('payout'),
          amount: 100,
          reason: 'withdrawal',
          idempotencyKey: input.idempotencyKey,
          at,
        }),
      ),
    ).rejects.toThrow(/reward:9004:first was used for another transfer/);
    expect(await written()).toBe(before.rows);
    expect(await balanceOf(db, u)).toEqual(before.u);
    expect(await balanceOf(db, userAccount(9005, 'cash'))).toEqual({
      available: 0,
      pendingIn: 0,
      pendingOut: 0,
    });
    expect((await verifyLedger(db)).balanced).toBe(true);
  });

  it('20 concurrent transfers under one key with different amounts: one is written, the others are refused', async () => {
    const { db } = database;
    const u = userAccount(9006, 'cash');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        inTx(db, (tx) =>
          transfer(tx, {
            debit: merchantAccount('cash'),
            credit: u,
            amount: 100 + i,
            reason: 'reward.referral',
            idempotencyKey: 'reward:9006:race',
            at,
          }),
        ),
      ),
    );
    const written = results.filter((r) => r.status === 'fulfilled');
    expect(written).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r.reason).toBeInstanceOf(IdempotencyKeyReused);
    const amount =
      written[0]!.status === 'fulfilled' && written[0]!.value.ok
        ? written[0]!.value.transfer.amount
        : -1;
    expect((await balanceOf(db, u)).available).toBe(amount);
    expect((await verifyLedger(db)).balanced).toBe(true);
  });

  it('50 concurrent withdrawals of 100 fen against a balance of 100 fen: exactly one succeeds', async () => {
    const { db } = database;
    const u = userAccount(9003, 'cash');
    await inTx(db, (tx) =>
      transfer(tx, {
        debit: merchantAccount('cash'),
        credit: u,
        amount: 100,
        reason: 'reward.referral',
        at,
      }),
    );
    const attempts = await Promise.all(
      Array.from({ length: 50 }, () =>
        inTx(db, (tx) =>
          transfer(tx, {
            debit: u,
            credit: gatewayAccount('payout'),
            amount: 100,
            reason: 'withdrawal',
            pending: true,
            at,
          }),
        ),
      ),
    );
    expect(attempts.filter((r) => r.ok)).toHaveLength(1);
    expect(attempts.filter((r) => !r.ok && r.code === 'INSUFFICIENT_FUNDS')).toHaveLength(49);
    expect(await balanceOf(db, u)).toEqual({ available: 0, pendingIn: 0, pendingOut: 100 });
    expect((await verifyLedger(db)).balanced).toBe(true);
  });

  it('random concurrent transfers: every asset sums to zero, no user below zero, no row changed', async () => {
    const { db } = database;
    const before = await sql<{ id: number; amount: number; kind: string }>`
      select id, amount, kind from ledger_transfers order by id`.execute(db);
    const users = [1, 2, 3, 4, 5].map((n) => 9100 + n);
    const refs = (asset: 'cash' | 'points'): AccountRef[] => [
      merchantAccount(asset),
      gatewayAccount('sandbox', asset),
      ...users.map((id) => userAccount(id, asset)),
    ];
    const op = fc.record({
      asset: fc.constantFrom<'cash' | 'points'>('cash', 'points'),
      from: fc.nat(6),
      to: fc.nat(6),
      amount: fc.integer({ min: 1, max: 500 }),
      mode: fc.constantFrom('posted', 'pending-post', 'pending-void'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 40 }), async (ops) => {
        await Promise.all(
          ops.map((o) => {
            const accounts = refs(o.asset);
            const debit = accounts[o.from]!;
            const credit = accounts[o.to === o.from ? (o.to + 1) % accounts.length : o.to]!;
            return inTx(db, async (tx) => {
              const r = await transfer(tx, {
                debit,
                credit,
                amount: o.amount,
                reason: 'test',
                pending: o.mode !== 'posted',
                at,
              });
              if (!r.ok || o.mode === 'posted') return;
              if (o.mode === 'pending-post') await postPending(tx, r.transfer.id, { at });
              else await voidPending(tx, r.transfer.id, { at });
            });
          }),
        );
        const report = await verifyLedger(db);
        expect(report.assets.every((a) => a.postedSum === 0 && a.pendingSum === 0)).toBe(true);
        expect(report.overdrawnAccounts).toEqual([]);
        expect(report.mismatchedAccounts).toEqual([]);
      }),
      { numRuns: 15 },
    );
    const after = await sql<{ id: number; amount: number; kind: string }>`
      select id, amount, kind from ledger_transfers where id <= ${before.rows.at(-1)?.id ?? 0} order by id`.execute(
      db,
    );
    expect(after.rows).toEqual(before.rows);
  });
});
