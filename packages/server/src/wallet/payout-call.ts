import type { AppDeps } from '../http/deps.ts';
import type { Tx } from '../db/tx.ts';
import type { Withdrawal } from '../db/schema-commerce.ts';
import { err, ok, type Result } from '../errors/index.ts';
import { audit, type Actor } from '../audit/audit.ts';
import type { ProviderResult, TransferOutcome, TransferPayee } from '../payments/index.ts';
import { paymentsFor } from '../payment-flow/registry.ts';
import {
  callAndBook,
  pollJob,
  schedulePolls,
  type KeyedOperation,
} from '../payment-flow/provider-call.ts';
import { finishWithdrawal, PAYOUT_POLL } from './withdrawals.ts';

/** An approved withdrawal paid out through the provider, under its out_bill_no. */
export function payoutOperation(
  deps: AppDeps,
): KeyedOperation<Withdrawal, ProviderResult<TransferOutcome>> {
  return {
    poll: PAYOUT_POLL,
    inFlight: async (db, id) => {
      const w = await db
        .selectFrom('withdrawals')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return w?.status === 'paying' ? w : undefined;
    },
    // asks about the bill first (a retry after a lost answer), and pays only if it has none
    call: async (w) => {
      const provider = paymentsFor(deps).get(w.provider);
      if (!provider)
        throw new Error(`withdrawal ${w.id}: provider ${w.provider} is not configured`);
      const known = await provider.queryTransfer(w.out_bill_no);
      if (known.ok || known.code !== 'PROVIDER_NOT_FOUND') return known;
      return provider.transfer({
        outBillNo: w.out_bill_no,
        payee: w.payee as TransferPayee,
        amountFen: w.payout_fen,
        remark: '提现 Withdrawal',
      });
    },
    book: async (tx, id, r, now) => {
      if (r.ok) {
        if (r.state === 'succeeded')
          return (
            await finishWithdrawal(tx, id, { ok: true, providerBillNo: r.providerBillNo }, now),
            'done'
          );
        if (r.state === 'failed' || r.state === 'cancelled')
          return (
            await finishWithdrawal(tx, id, { ok: false, reason: r.failReason ?? r.state }, now),
            'done'
          );
        await tx
          .updateTable('withdrawals')
          .set({ provider_bill_no: r.providerBillNo, package_info: r.packageInfo ?? null })
          .where('id', '=', id)
          .where('status', '=', 'paying')
          .execute();
        return 'wait';
      }
      if (!r.retryable)
        return (
          await finishWithdrawal(tx, id, { ok: false, reason: `${r.code}: ${r.message}` }, now),
          'done'
        );
      return 'retry';
    },
    toReview: async (tx, id, reason, now) => {
      const w = await tx
        .updateTable('withdrawals')
        .set({ status: 'manual_review', failure: reason })
        .where('id', '=', id)
        .where('status', '=', 'paying')
        .returning(['id', 'user_id', 'amount_fen'])
        .executeTakeFirst();
      if (w)
        await audit(
          tx,
          { id: null, role: 'system' },
          'withdrawal.manualReview',
          { type: 'withdrawal', id },
          { userId: w.user_id, amountFen: w.amount_fen, reason },
          now,
        );
      return !!w;
    },
  };
}

/** Pays an approved withdrawal through the provider, outside any transaction, then books the answer. */
export async function executePayout(deps: AppDeps, id: number): Promise<void> {
  await callAndBook(deps, payoutOperation(deps), id);
}

/** Job: poll an approved payout whose outcome is not known yet (same out_bill_no). */
export function withdrawalJobs(deps: AppDeps) {
  return { [PAYOUT_POLL.kind]: pollJob(deps, payoutOperation(deps)) };
}

/**
 * An operator sends a payout in manual review back to the provider (after checking it in
 * the provider's merchant portal): it is in flight again with a fresh round of polls. The
 * caller asks the provider once right after this commits.
 */
export async function recheckWithdrawal(
  tx: Tx,
  actor: Actor,
  id: number,
  now: Date,
): Promise<Result<Withdrawal>> {
  const w = await tx
    .updateTable('withdrawals')
    .set({ status: 'paying', failure: null })
    .where('id', '=', id)
    .where('status', '=', 'manual_review')
    .returningAll()
    .executeTakeFirst();
  if (!w) {
    const exists = await tx
      .selectFrom('withdrawals')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    return err(exists ? 'WITHDRAWAL_STATE_INVALID' : 'NOT_FOUND');
  }
  await schedulePolls(tx, PAYOUT_POLL, id, now);
  await audit(
    tx,
    actor,
    'withdrawal.recheck',
    { type: 'withdrawal', id },
    { userId: w.user_id, amountFen: w.amount_fen },
    now,
  );
  return ok(w);
}
