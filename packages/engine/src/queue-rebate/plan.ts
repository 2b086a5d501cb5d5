import type { AccountKey, EntryUpdateOp, LedgerOp, Plan } from '../ledger/types.ts';

/** An entry that may receive money, in payout order; `needFen` = entitlement − received > 0. */
export interface Candidate {
  entryKey: string;
  userId: string;
  orderId: string;
  needFen: number;
}

export interface Allocation {
  candidate: Candidate;
  amountFen: number;
  /** The entry reached its entitlement. */
  filled: boolean;
}

/**
 * Pour `amountFen` into candidates in the order given: each is filled up to its need,
 * the rest flows on. Candidates are read lazily, so an iterator over a huge queue costs
 * only as many steps as entries touched.
 *
 * @example
 * allocateContribution(10920, [{ entryKey: 'e1', userId: 'A', orderId: 'o1', needFen: 21840 }])
 * // { allocations: [{ candidate: {...}, amountFen: 10920, filled: false }], leftoverFen: 0 }
 */
export function allocateContribution(
  amountFen: number,
  candidates: Iterable<Candidate>,
): { allocations: Allocation[]; leftoverFen: number } {
  const allocations: Allocation[] = [];
  let left = amountFen;
  if (left <= 0) return { allocations, leftoverFen: Math.max(0, left) };
  for (const c of candidates) {
    if (c.needFen <= 0) continue;
    const take = Math.min(left, c.needFen);
    allocations.push({ candidate: c, amountFen: take, filled: take === c.needFen });
    left -= take;
    if (left === 0) break;
  }
  return { allocations, leftoverFen: left };
}

export const MERCHANT_CASH: AccountKey = { ownerType: 'merchant', ownerId: 'main', asset: 'cash' };

export const poolCash = (queueId: string): AccountKey => ({
  ownerType: 'pool',
  ownerId: queueId,
  asset: 'cash',
});

export const userAccount = (userId: string, asset: AccountKey['asset'] = 'cash'): AccountKey => ({
  ownerType: 'user',
  ownerId: userId,
  asset,
});

export interface QueuePayout {
  /** Id of the pending transfer that holds the payout. */
  transferId: string;
  entryKey: string;
  userId: string;
  entryOrderId: string;
  amountFen: number;
}

export interface ContributionInput {
  queueId: string;
  /** Unique per contribution, e.g. `o7` or `o7#0` for an order line. */
  contributionId: string;
  contributorOrderId: string;
  amountFen: number;
  /** Paused queues keep contributions with the merchant. */
  paused: boolean;
  candidates: Iterable<Candidate>;
  /** Funding reason: extraction from an order (default) or the daily profit pool. */
  fundReason?: 'queue.extract' | 'pool.fund';
}

/**
 * The plan for one contribution: the distributed part moves merchant → queue pool
 * (posted), then one pending payout pool → user per entry reached, plus the entry
 * updates. What no entry can take stays with the merchant (no transfer).
 *
 * @example
 * planQueueContribution({ queueId: 'product:P1', contributionId: 'o2#0', contributorOrderId: 'o2',
 *   amountFen: 10920, paused: false,
 *   candidates: [{ entryKey: 'product:P1#0', userId: 'A', orderId: 'o1', needFen: 21840 }] })
 * // plan.ops: queue.extract 10920, pending queue.payout 10920 to user:A, entry.update +10920
 */
export function planQueueContribution(input: ContributionInput): {
  plan: Plan;
  payouts: QueuePayout[];
  leftoverFen: number;
} {
  if (input.paused || input.amountFen <= 0) {
    return { plan: { ops: [] }, payouts: [], leftoverFen: Math.max(0, input.amountFen) };
  }
  const { allocations, leftoverFen } = allocateContribution(input.amountFen, input.candidates);
  const distributed = input.amountFen - leftoverFen;
  const ops: Plan['ops'] = [];
  const payouts: QueuePayout[] = [];
  if (distributed > 0) {
    ops.push({
      op: 'transfer',
      id: `qx:${input.queueId}:${input.contributionId}`,
      debit: MERCHANT_CASH,
      credit: poolCash(input.queueId),
      amount: distributed,
      reason: input.fundReason ?? 'queue.extract',
      source: { type: 'order', id: input.contributorOrderId },
    });
  }
  for (const a of allocations) {
    const transferId = `qp:${input.queueId}:${input.contributionId}:${a.candidate.entryKey}`;
    ops.push({
      op: 'transfer',
      id: transferId,
      debit: poolCash(input.queueId),
      credit: userAccount(a.candidate.userId),
      amount: a.amountFen,
      reason: 'queue.payout',
      source: { type: 'queue_entry', id: a.candidate.entryKey },
      pending: true,
    });
    const update: EntryUpdateOp = {
      op: 'entry.update',
      entryKey: a.candidate.entryKey,
      receivedDeltaFen: a.amountFen,
    };
    if (a.filled) update.status = 'done';
    ops.push(update);
    payouts.push({
      transferId,
      entryKey: a.candidate.entryKey,
      userId: a.candidate.userId,
      entryOrderId: a.candidate.orderId,
      amountFen: a.amountFen,
    });
  }
  return { plan: { ops }, payouts, leftoverFen };
}

export interface PayoutToVoid {
  transferId: string;
  entryKey: string;
  queueId: string;
  amountFen: number;
  /** Entry goes back to `waiting` in its old place (contributor refunded). */
  reopen: boolean;
}

/**
 * Reverse pending payouts (a refund inside the after-sale window): void each, reduce the
 * entries' received amounts (reopening them when asked) and return the money from each
 * queue pool to the merchant in one transfer per pool.
 *
 * @example
 * planPayoutVoids('refund:o2', [{ transferId: 'qp:product:P1:o2#0:product:P1#0', entryKey: 'product:P1#0',
 *   queueId: 'product:P1', amountFen: 10920, reopen: true }])
 * // void + entry.update(-10920, waiting) + queue.return 10920 pool → merchant
 */
export function planPayoutVoids(
  reversalId: string,
  payouts: readonly PayoutToVoid[],
  sourceOrderId?: string,
): Plan {
  const ops: Plan['ops'] = [];
  const perPool = new Map<string, number>();
  for (const p of payouts) {
    const v: LedgerOp = { op: 'void', id: `void:${p.transferId}`, pendingId: p.transferId };
    ops.push(v);
    const update: EntryUpdateOp = {
      op: 'entry.update',
      entryKey: p.entryKey,
      receivedDeltaFen: -p.amountFen,
    };
    if (p.reopen) update.status = 'waiting';
    ops.push(update);
    perPool.set(p.queueId, (perPool.get(p.queueId) ?? 0) + p.amountFen);
  }
  for (const [queueId, amount] of perPool) {
    ops.push({
      op: 'transfer',
      id: `qr:${queueId}:${reversalId}`,
      debit: poolCash(queueId),
      credit: MERCHANT_CASH,
      amount,
      reason: 'queue.return',
      source: { type: 'order', id: sourceOrderId ?? reversalId },
    });
  }
  return { ops };
}
