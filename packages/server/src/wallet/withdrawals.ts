import { pctOfFen } from '@fanli/engine';
import type { Tx } from '../db/tx.ts';
import type { Withdrawal } from '../db/schema-commerce.ts';
import { err, ok, type Result } from '../errors/index.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { schedulePolls } from '../payment-flow/provider-call.ts';
import {
  gatewayAccount,
  merchantAccount,
  postPending,
  transfer,
  userAccount,
  voidPending,
} from '../ledger/index.ts';
import type { TransferEvent, TransferPayee } from '../payments/index.ts';
import type { CommerceConfig } from '../orders/config.ts';
import { newOutBillNo } from '../orders/numbers.ts';
import { erasePayeeIfDeleted } from '../privacy/commerce-data.ts';

/** The job that polls a payout whose outcome is not known yet (wallet/payout-call.ts). */
export const PAYOUT_POLL = { kind: 'withdrawal.payout', idField: 'withdrawalId' };

/** fee = max(minFeeFen, ⌊amount × feePct %⌋); the merchant keeps the rounding remainder. */
export function withdrawalFee(cfg: CommerceConfig['withdrawal'], amountFen: number): number {
  return Math.max(cfg.minFeeFen, pctOfFen(amountFen, cfg.feePct));
}

/**
 * The buyer asks to withdraw available cash. The whole amount is reserved at once as
 * PENDING transfers (payout: user → gateway; fee: user → merchant), guarded by the
 * ledger's no-overdraft lock, so concurrent requests can only reserve what the balance
 * covers. The out_bill_no is fixed here and reused by every payout attempt.
 */
export async function requestWithdrawal(
  tx: Tx,
  cfg: CommerceConfig['withdrawal'],
  input: { userId: number; amountFen: number; provider: string; payee: TransferPayee },
  now: Date,
): Promise<Result<Withdrawal>> {
  if (input.amountFen < cfg.minFen) return err('WITHDRAWAL_BELOW_MINIMUM', { minFen: cfg.minFen });
  if (input.amountFen > cfg.maxFen) return err('WITHDRAWAL_ABOVE_MAXIMUM', { maxFen: cfg.maxFen });
  const fee = withdrawalFee(cfg, input.amountFen);
  if (fee >= input.amountFen) return err('WITHDRAWAL_BELOW_MINIMUM', { feeFen: fee });
  const source = { type: 'withdrawal', id: newOutBillNo(now) };
  const reserve = await transfer(tx, {
    debit: userAccount(input.userId, 'cash'),
    credit: gatewayAccount(input.provider),
    amount: input.amountFen - fee,
    reason: 'withdrawal',
    source,
    pending: true,
    at: now,
  });
  if (!reserve.ok) return err(reserve.code);
  let feeTransferId: number | null = null;
  if (fee > 0) {
    const t = await transfer(tx, {
      debit: userAccount(input.userId, 'cash'),
      credit: merchantAccount('cash'),
      amount: fee,
      reason: 'withdrawal.fee',
      source,
      pending: true,
      at: now,
    });
    if (!t.ok) return err(t.code);
    feeTransferId = t.transfer.id;
  }
  const w = await tx
    .insertInto('withdrawals')
    .values({
      user_id: input.userId,
      amount_fen: input.amountFen,
      fee_fen: fee,
      payout_fen: input.amountFen - fee,
      provider: input.provider,
      payee: JSON.stringify(input.payee),
      status: 'pending',
      out_bill_no: String(source.id),
      provider_bill_no: null,
      reserve_transfer_id: reserve.transfer.id,
      fee_transfer_id: feeTransferId,
      package_info: null,
      reviewer_id: null,
      review_note: null,
      failure: null,
      created_at: now,
      reviewed_at: null,
      finished_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return ok(w);
}

async function resolve(tx: Tx, w: Withdrawal, how: 'post' | 'void', now: Date) {
  for (const id of [w.reserve_transfer_id, w.fee_transfer_id]) {
    if (id === null) continue;
    const r =
      how === 'post'
        ? await postPending(tx, id, { at: now })
        : await voidPending(tx, id, { at: now, reason: 'withdrawal.cancelled' });
    if (!r.ok) throw new Error(`withdrawal ${w.id}: ${how} ${id}: ${r.code}`);
  }
}

/** Staff refuse: the reservation is voided, the cash is available again. */
export async function rejectWithdrawal(
  tx: Tx,
  actor: Actor,
  id: number,
  note: string,
  now: Date,
): Promise<Result<Withdrawal>> {
  const w = await tx
    .updateTable('withdrawals')
    .set({
      status: 'rejected',
      reviewer_id: actor.id,
      review_note: note,
      reviewed_at: now,
      finished_at: now,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (!w) return (await exists(tx, id)) ? err('WITHDRAWAL_STATE_INVALID') : err('NOT_FOUND');
  await resolve(tx, w, 'void', now);
  await erasePayeeIfDeleted(tx, w.id);
  await audit(
    tx,
    actor,
    'withdrawal.reject',
    { type: 'withdrawal', id },
    { userId: w.user_id, amountFen: w.amount_fen, note },
    now,
  );
  return ok(w);
}

const exists = async (tx: Tx, id: number) =>
  !!(await tx.selectFrom('withdrawals').select('id').where('id', '=', id).executeTakeFirst());

/** Staff approve: the request moves to `paying`; the payout follows (`executePayout`, wallet/payout-call.ts), with polls to fall back on. */
export async function approveWithdrawal(
  tx: Tx,
  actor: Actor,
  id: number,
  note: string,
  now: Date,
): Promise<Result<Withdrawal>> {
  const w = await tx
    .updateTable('withdrawals')
    .set({ status: 'paying', reviewer_id: actor.id, review_note: note, reviewed_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (!w) return (await exists(tx, id)) ? err('WITHDRAWAL_STATE_INVALID') : err('NOT_FOUND');
  await schedulePolls(tx, PAYOUT_POLL, id, now);
  await audit(
    tx,
    actor,
    'withdrawal.approve',
    { type: 'withdrawal', id },
    { userId: w.user_id, amountFen: w.amount_fen, note },
    now,
  );
  return ok(w);
}

export async function finishWithdrawal(
  tx: Tx,
  id: number,
  outcome: { ok: true; providerBillNo: string | null } | { ok: false; reason: string },
  now: Date,
): Promise<boolean> {
  const w = await tx
    .updateTable('withdrawals')
    .set(
      outcome.ok
        ? { status: 'paid', provider_bill_no: outcome.providerBillNo, finished_at: now }
        : { status: 'failed', failure: outcome.reason.slice(0, 500), finished_at: now },
    )
    .where('id', '=', id)
    .where('status', '=', 'paying')
    .returningAll()
    .executeTakeFirst();
  if (!w) return false;
  await resolve(tx, w, outcome.ok ? 'post' : 'void', now);
  await erasePayeeIfDeleted(tx, w.id);
  return true;
}

/** A verified transfer notification (WeChat Pay 商家转账) for one of our withdrawals. */
export async function applyTransferEvent(tx: Tx, e: TransferEvent, now: Date): Promise<void> {
  const w = await tx
    .selectFrom('withdrawals')
    .select(['id', 'status'])
    .where('out_bill_no', '=', e.outBillNo)
    .forUpdate()
    .executeTakeFirst();
  if (!w || (w.status !== 'paying' && w.status !== 'manual_review')) return;
  const final = e.state === 'succeeded' || e.state === 'failed' || e.state === 'cancelled';
  // a final answer arriving while the payout waits for an operator settles it all the same
  if (final && w.status === 'manual_review')
    await tx.updateTable('withdrawals').set({ status: 'paying' }).where('id', '=', w.id).execute();
  if (e.state === 'succeeded')
    await finishWithdrawal(tx, w.id, { ok: true, providerBillNo: e.providerBillNo }, now);
  else if (e.state === 'failed' || e.state === 'cancelled')
    await finishWithdrawal(tx, w.id, { ok: false, reason: e.failReason ?? e.state }, now);
}
