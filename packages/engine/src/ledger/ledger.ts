import type {
  Account,
  AccountKey,
  ApplyResult,
  LedgerError,
  LedgerOp,
  PlanOp,
  Transfer,
} from './types.ts';

/** In-memory double-entry ledger with TigerBeetle semantics. */
export interface Ledger {
  accounts: Map<string, Account>;
  transfers: Transfer[];
  /** Ids already used by any transfer record (uniqueness = idempotency). */
  ids: Set<string>;
  /** Pending transfers not yet posted or voided, by id. */
  openPending: Map<string, Transfer>;
}

/** `user:A:cash` — the stable string id of an account. */
export function accountId(key: AccountKey): string {
  return `${key.ownerType}:${key.ownerId}:${key.asset}`;
}

/**
 * @example const ledger = createLedger(); ledger.transfers.length // 0
 */
export function createLedger(): Ledger {
  return { accounts: new Map(), transfers: [], ids: new Set(), openPending: new Map() };
}

function account(ledger: Ledger, key: AccountKey): Account {
  const id = accountId(key);
  let acc = ledger.accounts.get(id);
  if (!acc) {
    acc = {
      key: { ...key },
      debitsPosted: 0,
      creditsPosted: 0,
      debitsPending: 0,
      creditsPending: 0,
    };
    ledger.accounts.set(id, acc);
  }
  return acc;
}

/**
 * Balance seen by the account's owner: posted credits minus posted debits minus debits
 * still reserved (what can be spent), and credits still pending (frozen 冻结 rewards).
 *
 * @example balanceOf(ledger, { ownerType: 'user', ownerId: 'A', asset: 'cash' }) // { available: 0, pending: 0 }
 */
export function balanceOf(ledger: Ledger, key: AccountKey): { available: number; pending: number } {
  const acc = ledger.accounts.get(accountId(key));
  if (!acc) return { available: 0, pending: 0 };
  return {
    available: acc.creditsPosted - acc.debitsPosted - acc.debitsPending,
    pending: acc.creditsPending,
  };
}

type Undo = () => void;

function fail(code: LedgerError['code'], opIndex: number, message: string): ApplyResult {
  return { ok: false, error: { code, opIndex, message } };
}

function applyOne(
  ledger: Ledger,
  op: LedgerOp,
  index: number,
  atMs: number,
  undo: Undo[],
): ApplyResult {
  if (ledger.ids.has(op.id))
    return fail('duplicate_id', index, `transfer id ${op.id} already used`);
  if (op.op === 'transfer') {
    if (!Number.isSafeInteger(op.amount) || op.amount <= 0) {
      return fail('invalid_amount', index, `amount must be a positive integer, got ${op.amount}`);
    }
    if (op.debit.asset !== op.credit.asset)
      return fail('asset_mismatch', index, 'debit and credit assets differ');
    const debitId = accountId(op.debit);
    const creditId = accountId(op.credit);
    if (debitId === creditId)
      return fail('same_account', index, 'debit and credit are the same account');
    const debit = account(ledger, op.debit);
    const credit = account(ledger, op.credit);
    if (debit.key.ownerType === 'user') {
      const available = debit.creditsPosted - debit.debitsPosted - debit.debitsPending;
      if (available < op.amount) {
        return fail(
          'insufficient_funds',
          index,
          `${debitId} has ${available} available, needs ${op.amount}`,
        );
      }
    }
    const pending = op.pending === true;
    const t: Transfer = {
      id: op.id,
      kind: pending ? 'pending' : 'posted',
      debit: debitId,
      credit: creditId,
      asset: op.debit.asset,
      amount: op.amount,
      reason: op.reason,
      source: op.source,
      pendingId: null,
      atMs,
    };
    if (pending) {
      debit.debitsPending += op.amount;
      credit.creditsPending += op.amount;
      ledger.openPending.set(op.id, t);
    } else {
      debit.debitsPosted += op.amount;
      credit.creditsPosted += op.amount;
    }
    ledger.transfers.push(t);
    ledger.ids.add(op.id);
    undo.push(() => {
      if (pending) {
        debit.debitsPending -= op.amount;
        credit.creditsPending -= op.amount;
        ledger.openPending.delete(op.id);
      } else {
        debit.debitsPosted -= op.amount;
        credit.creditsPosted -= op.amount;
      }
      ledger.transfers.pop();
      ledger.ids.delete(op.id);
    });
    return { ok: true };
  }
  const p = ledger.openPending.get(op.pendingId);
  if (!p) {
    return ledger.ids.has(op.pendingId)
      ? fail('pending_already_resolved', index, `pending transfer ${op.pendingId} is not open`)
      : fail('pending_not_found', index, `no pending transfer ${op.pendingId}`);
  }
  const debit = ledger.accounts.get(p.debit);
  const credit = ledger.accounts.get(p.credit);
  if (!debit || !credit)
    return fail('pending_not_found', index, `accounts of ${op.pendingId} missing`);
  const posting = op.op === 'post';
  debit.debitsPending -= p.amount;
  credit.creditsPending -= p.amount;
  if (posting) {
    debit.debitsPosted += p.amount;
    credit.creditsPosted += p.amount;
  }
  ledger.openPending.delete(op.pendingId);
  ledger.transfers.push({
    id: op.id,
    kind: posting ? 'post' : 'void',
    debit: p.debit,
    credit: p.credit,
    asset: p.asset,
    amount: p.amount,
    reason: p.reason,
    source: p.source,
    pendingId: op.pendingId,
    atMs,
  });
  ledger.ids.add(op.id);
  undo.push(() => {
    debit.debitsPending += p.amount;
    credit.creditsPending += p.amount;
    if (posting) {
      debit.debitsPosted -= p.amount;
      credit.creditsPosted -= p.amount;
    }
    ledger.openPending.set(op.pendingId, p);
    ledger.transfers.pop();
    ledger.ids.delete(op.id);
  });
  return { ok: true };
}

/**
 * Apply the ledger operations of a plan atomically: all of them or none (queue ops are
 * skipped here; the queue store applies them). Expected failures come back as values.
 *
 * @example
 * const ledger = createLedger();
 * applyLedgerOps(ledger, [{ op: 'transfer', id: 't1', amount: 16800, reason: 'order.payment',
 *   source: { type: 'order', id: 'o1' },
 *   debit: { ownerType: 'gateway', ownerId: 'sandbox', asset: 'cash' },
 *   credit: { ownerType: 'merchant', ownerId: 'main', asset: 'cash' } }], 0); // { ok: true }
 */
export function applyLedgerOps(ledger: Ledger, ops: readonly PlanOp[], atMs: number): ApplyResult {
  const undo: Undo[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (!op || (op.op !== 'transfer' && op.op !== 'post' && op.op !== 'void')) continue;
    const r = applyOne(ledger, op, i, atMs, undo);
    if (!r.ok) {
      for (let u = undo.length - 1; u >= 0; u--) undo[u]?.();
      return r;
    }
  }
  return { ok: true };
}

/**
 * Check the books: for every asset, posted and pending balances over all accounts sum
 * to zero, every account's counters match a replay of the transfer history, and no user
 * account has a negative available balance.
 *
 * @example verifyLedger(createLedger()) // { balanced: true, problems: [] }
 */
export function verifyLedger(ledger: Ledger): { balanced: boolean; problems: string[] } {
  const problems: string[] = [];
  const replay = new Map<string, { dp: number; cp: number; dq: number; cq: number }>();
  const get = (id: string) => {
    let r = replay.get(id);
    if (!r) replay.set(id, (r = { dp: 0, cp: 0, dq: 0, cq: 0 }));
    return r;
  };
  for (const t of ledger.transfers) {
    const d = get(t.debit);
    const c = get(t.credit);
    if (t.kind === 'posted') {
      d.dp += t.amount;
      c.cp += t.amount;
    } else if (t.kind === 'pending') {
      d.dq += t.amount;
      c.cq += t.amount;
    } else {
      d.dq -= t.amount;
      c.cq -= t.amount;
      if (t.kind === 'post') {
        d.dp += t.amount;
        c.cp += t.amount;
      }
    }
  }
  const sums = new Map<string, { posted: number; pending: number }>();
  for (const [id, acc] of ledger.accounts) {
    const r = replay.get(id) ?? { dp: 0, cp: 0, dq: 0, cq: 0 };
    if (
      r.dp !== acc.debitsPosted ||
      r.cp !== acc.creditsPosted ||
      r.dq !== acc.debitsPending ||
      r.cq !== acc.creditsPending
    ) {
      problems.push(`${id}: counters do not match the transfer history`);
    }
    const s = sums.get(acc.key.asset) ?? { posted: 0, pending: 0 };
    s.posted += acc.creditsPosted - acc.debitsPosted;
    s.pending += acc.creditsPending - acc.debitsPending;
    sums.set(acc.key.asset, s);
    if (
      acc.key.ownerType === 'user' &&
      acc.creditsPosted - acc.debitsPosted - acc.debitsPending < 0
    ) {
      problems.push(`${id}: negative available balance`);
    }
  }
  for (const [asset, s] of sums) {
    if (s.posted !== 0 || s.pending !== 0)
      problems.push(`${asset}: balances sum to ${s.posted}/${s.pending}, not 0`);
  }
  return { balanced: problems.length === 0, problems };
}
