/**
 * Ledger and plan types shared by the in-memory ledger (engine, simulator) and the
 * server's database ledger. A rule function returns a {@link Plan}; the server applies
 * the very same plan to its tables in one transaction (see docs/models/ledger-and-money.md).
 */

/** What an account holds. `cash` is in fen; the others are integer units. */
export type Asset = 'cash' | 'points' | 'voucher' | 'entitlement';

/**
 * Who owns an account. Only `user` accounts are guarded against a negative available
 * balance; system accounts (merchant, gateway, pool, store) may go negative — the
 * merchant's points account, for example, is where points are issued from.
 */
export type OwnerType = 'user' | 'merchant' | 'gateway' | 'pool' | 'store';

export interface AccountKey {
  ownerType: OwnerType;
  ownerId: string;
  asset: Asset;
}

/** TigerBeetle-style account: four monotonic counters, balance derived from them. */
export interface Account {
  key: AccountKey;
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

/** Why money moved. Stable codes; the server stores them verbatim. */
export type ReasonCode =
  | 'order.payment'
  | 'order.refund'
  | 'order.points_deduction'
  | 'order.points_deduction_refund'
  | 'points.opening_balance'
  | 'queue.extract'
  | 'queue.payout'
  | 'queue.return'
  | 'queue.exchange_points'
  | 'queue.exchange_voucher'
  | 'queue.random_return_points'
  | 'pool.fund'
  | 'referral.reward'
  | 'commission.level1'
  | 'commission.level2'
  | 'commission.store_recruit'
  | 'cashback.reward'
  | 'points.expiry'
  | 'withdrawal';

/** The business object a transfer comes from, e.g. `{ type: 'order', id: 'o1' }`. */
export interface SourceRef {
  type: string;
  id: string;
}

/** Create a transfer. `pending: true` reserves it (two-phase); otherwise it is posted at once. */
export interface TransferOp {
  op: 'transfer';
  /** Deterministic id chosen by the rule (doubles as an idempotency key). */
  id: string;
  debit: AccountKey;
  credit: AccountKey;
  /** Positive integer (fen for cash). */
  amount: number;
  reason: ReasonCode;
  source: SourceRef;
  pending?: boolean;
}

/** Post a pending transfer (the full amount) — exactly once. */
export interface PostPendingOp {
  op: 'post';
  id: string;
  pendingId: string;
}

/** Void a pending transfer — exactly once; the reservation disappears. */
export interface VoidPendingOp {
  op: 'void';
  id: string;
  pendingId: string;
}

export type LedgerOp = TransferOp | PostPendingOp | VoidPendingOp;

/** Entry status as shown in the simulator result and the user's queue page. */
export type EntryStatus = 'waiting' | 'done' | 'cancelled' | 'exchanged' | 'cleared' | 'converted';

/** A queue entry is created (an order or order line joined a queue). */
export interface EntryCreateOp {
  op: 'entry.create';
  entryKey: string;
  queueId: string;
  orderId: string;
  userId: string;
  /** Join sequence: entries are paid only by contributions with a larger sequence. */
  seq: number;
  entitlementFen: number;
  status: EntryStatus;
}

/** A queue entry changes: payouts add/remove received fen, status moves. */
export interface EntryUpdateOp {
  op: 'entry.update';
  entryKey: string;
  receivedDeltaFen?: number;
  entitlementFen?: number;
  status?: EntryStatus;
}

export type QueueOp = EntryCreateOp | EntryUpdateOp;

export type PlanOp = LedgerOp | QueueOp;

/** What a rule returns: ledger operations plus queue-entry changes, applied atomically. */
export interface Plan {
  ops: PlanOp[];
}

/** A stored transfer (one record per create / post / void, as in TigerBeetle). */
export interface Transfer {
  id: string;
  kind: 'posted' | 'pending' | 'post' | 'void';
  debit: string;
  credit: string;
  asset: Asset;
  amount: number;
  reason: ReasonCode | null;
  source: SourceRef | null;
  pendingId: string | null;
  atMs: number;
}

export type LedgerErrorCode =
  | 'invalid_amount'
  | 'asset_mismatch'
  | 'same_account'
  | 'duplicate_id'
  | 'pending_not_found'
  | 'pending_already_resolved'
  | 'insufficient_funds';

export interface LedgerError {
  code: LedgerErrorCode;
  opIndex: number;
  message: string;
}

export type ApplyResult = { ok: true } | { ok: false; error: LedgerError };
