import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyLedgerOps, balanceOf, createLedger, verifyLedger } from './ledger.ts';
import type { AccountKey, LedgerOp } from './types.ts';

const gw: AccountKey = { ownerType: 'gateway', ownerId: 'sandbox', asset: 'cash' };
const m: AccountKey = { ownerType: 'merchant', ownerId: 'main', asset: 'cash' };
const user = (id: string): AccountKey => ({ ownerType: 'user', ownerId: id, asset: 'cash' });
const t = (
  id: string,
  debit: AccountKey,
  credit: AccountKey,
  amount: number,
  pending = false,
): LedgerOp => ({
  op: 'transfer',
  id,
  debit,
  credit,
  amount,
  reason: 'queue.payout',
  source: { type: 'test', id },
  pending,
});

describe('ledger', () => {
  it('posts, reserves, posts and voids pending transfers exactly once', () => {
    const l = createLedger();
    expect(applyLedgerOps(l, [t('pay', gw, m, 16800)], 0)).toEqual({ ok: true });
    expect(applyLedgerOps(l, [t('r1', m, user('A'), 10920, true)], 0)).toEqual({ ok: true });
    expect(balanceOf(l, user('A'))).toEqual({ available: 0, pending: 10920 });
    expect(applyLedgerOps(l, [{ op: 'post', id: 'p1', pendingId: 'r1' }], 1)).toEqual({ ok: true });
    expect(balanceOf(l, user('A'))).toEqual({ available: 10920, pending: 0 });
    const again = applyLedgerOps(l, [{ op: 'void', id: 'v1', pendingId: 'r1' }], 2);
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe('pending_already_resolved');
    expect(verifyLedger(l)).toEqual({ balanced: true, problems: [] });
    expect(l.transfers).toHaveLength(3);
  });

  it('voids give the reservation back', () => {
    const l = createLedger();
    applyLedgerOps(
      l,
      [t('r1', m, user('A'), 500, true), { op: 'void', id: 'v1', pendingId: 'r1' }],
      0,
    );
    expect(balanceOf(l, user('A'))).toEqual({ available: 0, pending: 0 });
    expect(balanceOf(l, m).available).toBe(0);
    expect(verifyLedger(l).balanced).toBe(true);
  });

  it('never lets a user account go below zero; system accounts may', () => {
    const l = createLedger();
    const r = applyLedgerOps(l, [t('w', user('A'), gw, 1)], 0);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('insufficient_funds');
    expect(applyLedgerOps(l, [t('x', m, user('A'), 100)], 0).ok).toBe(true);
    expect(balanceOf(l, m).available).toBe(-100);
    // Pending debits count against the available balance.
    expect(applyLedgerOps(l, [t('w1', user('A'), gw, 60, true)], 0).ok).toBe(true);
    expect(applyLedgerOps(l, [t('w2', user('A'), gw, 60)], 0).ok).toBe(false);
  });

  it('applies a plan atomically: one failing op rolls back the others', () => {
    const l = createLedger();
    const r = applyLedgerOps(l, [t('a', gw, m, 100), t('b', user('A'), gw, 1)], 0);
    expect(r.ok).toBe(false);
    expect(l.transfers).toHaveLength(0);
    expect(balanceOf(l, m).available).toBe(0);
    expect(verifyLedger(l).balanced).toBe(true);
  });

  it('rejects duplicate ids, zero amounts, mixed assets and self transfers', () => {
    const l = createLedger();
    applyLedgerOps(l, [t('a', gw, m, 100)], 0);
    const codes = [
      applyLedgerOps(l, [t('a', gw, m, 100)], 0),
      applyLedgerOps(l, [t('z', gw, m, 0)], 0),
      applyLedgerOps(l, [t('y', gw, { ...m, asset: 'points' }, 1)], 0),
      applyLedgerOps(l, [t('s', m, m, 1)], 0),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toEqual(['duplicate_id', 'invalid_amount', 'asset_mismatch', 'same_account']);
  });

  it('stays balanced under random operation sequences', () => {
    const accounts = [
      gw,
      m,
      user('A'),
      user('B'),
      { ownerType: 'pool', ownerId: 'q', asset: 'cash' } as AccountKey,
    ];
    const opArb = fc.oneof(
      fc.record({
        kind: fc.constant('t' as const),
        d: fc.nat(4),
        c: fc.nat(4),
        amount: fc.integer({ min: -5, max: 500 }),
        pending: fc.boolean(),
      }),
      fc.record({ kind: fc.constantFrom('post' as const, 'void' as const), which: fc.nat(50) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const l = createLedger();
        const pendings: string[] = [];
        ops.forEach((o, i) => {
          if (o.kind === 't') {
            const r = applyLedgerOps(
              l,
              [
                t(
                  `t${i}`,
                  accounts[o.d] as AccountKey,
                  accounts[o.c] as AccountKey,
                  o.amount,
                  o.pending,
                ),
              ],
              i,
            );
            if (r.ok && o.pending) pendings.push(`t${i}`);
          } else if (pendings.length > 0) {
            const id = pendings[o.which % pendings.length] as string;
            applyLedgerOps(l, [{ op: o.kind, id: `${o.kind}${i}`, pendingId: id }], i);
          }
        });
        expect(verifyLedger(l)).toEqual({ balanced: true, problems: [] });
        for (const id of ['A', 'B'])
          expect(balanceOf(l, user(id)).available).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
