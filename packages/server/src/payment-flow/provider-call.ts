import type { AppDeps } from '../http/deps.ts';
import type { Db } from '../db/database.ts';
import { inTx, type Tx } from '../db/tx.ts';
import { requeue } from '../jobs/queue.ts';
import type { OutsideTxJobHandler, RunAgain } from '../jobs/runner.ts';

/** What booking one provider answer decided. */
export type Booked = 'done' | 'wait' | 'retry';

/** The job that polls one kind of operation; its payload names the operation by `idField`. */
export interface PollJob {
  kind: string;
  idField: string;
}

/**
 * A money operation sent to a payment provider under a key persisted before its first call
 * (a refund's out_refund_no, a payout's out_bill_no), so every call — the first, a retry
 * after a lost answer, a poll — is the same operation at the provider, never a second one.
 * Refunds and payouts share this one state machine (docs/payments.md):
 *
 *   in flight → call, no transaction open → book the answer in one transaction →
 *   done, or poll again later → after `POLL_LIMIT` polls without a final answer, manual review
 */
export interface KeyedOperation<Row, Answer> {
  poll: PollJob;
  /** the operation, if it is still waiting on the provider */
  inFlight(db: Db, id: number): Promise<Row | undefined>;
  /** asks or tells the provider, under the operation's key */
  call(row: Row): Promise<Answer>;
  /** books an answer; guarded on the in-flight status, so a late second answer changes nothing */
  book(tx: Tx, id: number, answer: Answer, now: Date): Promise<Booked>;
  /** in flight → manual review (guarded); false when it was no longer in flight */
  toReview(tx: Tx, id: number, reason: string, now: Date): Promise<boolean>;
}

/** Polls before an operation with no final answer goes to manual review (about 30 hours). */
export const POLL_LIMIT = 14;
const MINUTE_MS = 60_000;

/** Wait before poll n (1-based): 1, 2, 4 … minutes, at most 4 hours apart. */
export function pollDelayMs(n: number): number {
  return Math.min(240 * MINUTE_MS, MINUTE_MS * 2 ** Math.max(0, n - 1));
}

/**
 * Calls the provider for an operation in flight with no transaction open, then books the
 * answer in a transaction of its own. `gone`: it was no longer in flight.
 */
export async function callAndBook<Row, Answer>(
  deps: AppDeps,
  op: KeyedOperation<Row, Answer>,
  id: number,
): Promise<Booked | 'gone'> {
  const row = await op.inFlight(deps.db, id);
  if (!row) return 'gone';
  const answer = await op.call(row);
  return inTx(deps.db, (tx) => op.book(tx, id, answer, deps.clock.now()));
}

/**
 * Schedules the polls of an operation just put in flight (approved, or sent back by an
 * operator), in the caller's transaction: one job per operation, counting from 1 again.
 */
export function schedulePolls(tx: Tx, poll: PollJob, id: number, now: Date): Promise<void> {
  return requeue(
    tx,
    {
      kind: poll.kind,
      payload: { [poll.idField]: id, n: 1 },
      runAt: new Date(now.getTime() + pollDelayMs(1)),
      uniqueKey: `${poll.kind}:${id}`,
    },
    now,
  );
}

/**
 * The poll job: one call per run, outside any transaction; an answer that is not final
 * (still processing, or no answer at all) asks again later, until the last poll sends the
 * operation to manual review.
 */
export function pollJob<Row, Answer>(
  deps: AppDeps,
  op: KeyedOperation<Row, Answer>,
): OutsideTxJobHandler {
  return {
    outsideTx: async (job, now): Promise<void | RunAgain> => {
      const id = Number(job.payload[op.poll.idField]);
      const n = Number(job.payload.n ?? 1);
      const booked = await callAndBook(deps, op, id);
      if (booked === 'done' || booked === 'gone') return;
      if (n >= POLL_LIMIT) {
        const why =
          booked === 'wait' ? 'the provider still reports it in progress' : 'no provider answer';
        await inTx(deps.db, (tx) =>
          op.toReview(tx, id, `${why} after ${n} polls`, deps.clock.now()),
        );
        return;
      }
      return {
        again: {
          runAt: new Date(now.getTime() + pollDelayMs(n + 1)),
          payload: { ...job.payload, n: n + 1 },
        },
      };
    },
  };
}
