import type { AppDeps } from '../http/deps.ts';
import type { Tx } from '../db/tx.ts';
import type { AfterSale } from '../db/schema-commerce.ts';
import { ok, type Result } from '../errors/index.ts';
import { audit, type Actor } from '../audit/audit.ts';
import type { ProviderResult, RefundOutcome } from '../payments/index.ts';
import { paymentsFor } from '../payment-flow/registry.ts';
import {
  callAndBook,
  pollJob,
  schedulePolls,
  type KeyedOperation,
} from '../payment-flow/provider-call.ts';
import { paidPaymentOf } from './lookup.ts';
import { failRefund, finalizeRefund, moveAfterSale, REFUND_POLL } from './service.ts';

/** An approved refund with cash to send back through the provider, under its out_refund_no. */
export function refundOperation(
  deps: AppDeps,
): KeyedOperation<AfterSale, ProviderResult<RefundOutcome>> {
  return {
    poll: REFUND_POLL,
    inFlight: async (db, id) => {
      const as = await db
        .selectFrom('after_sales')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return as?.status === 'refunding' && as.out_refund_no ? as : undefined;
    },
    call: async (as) => {
      const provider = paymentsFor(deps).get(as.provider ?? '');
      if (!provider)
        throw new Error(`after-sale ${as.id}: provider ${as.provider} is not configured`);
      const pay = await paidPaymentOf(deps.db, as.order_id);
      // the provider's own idempotency on out_refund_no makes a repeat a read of the first
      return provider.refund({
        outTradeNo: pay.out_trade_no,
        outRefundNo: as.out_refund_no!,
        refundFen: as.refund_fen,
        totalFen: pay.amount_fen,
        reason: as.reason || '售后退款',
      });
    },
    book: async (tx, id, result, now) => {
      if (result.ok) {
        if (result.status === 'succeeded')
          return (await finalizeRefund(tx, id, result.providerRefundNo, now), 'done');
        if (result.status === 'closed' || result.status === 'abnormal')
          return (await failRefund(tx, id, `provider refund ${result.status}`, now), 'done');
        return 'wait';
      }
      if (!result.retryable)
        return (await failRefund(tx, id, `${result.code}: ${result.message}`, now), 'done');
      return 'retry';
    },
    toReview: async (tx, id, reason, now) => {
      const as = await tx
        .updateTable('after_sales')
        .set({ status: 'manual_review', failure: reason })
        .where('id', '=', id)
        .where('status', '=', 'refunding')
        .returning(['id', 'order_id', 'refund_fen'])
        .executeTakeFirst();
      if (as)
        await audit(
          tx,
          { id: null, role: 'system' },
          'afterSale.manualReview',
          { type: 'after_sale', id },
          { orderId: as.order_id, refundFen: as.refund_fen, reason },
          now,
        );
      return !!as;
    },
  };
}

/**
 * Calls the provider for an approved request, outside any transaction, then books the
 * answer. An answer that is not final is left to the `afterSale.refund` polls.
 */
export async function executeRefund(deps: AppDeps, id: number): Promise<void> {
  await callAndBook(deps, refundOperation(deps), id);
}

/** Job: poll an approved refund whose outcome is not known yet (same out_refund_no). */
export function afterSaleJobs(deps: AppDeps) {
  return { [REFUND_POLL.kind]: pollJob(deps, refundOperation(deps)) };
}

/**
 * An operator sends a refund in manual review back to the provider (after checking it in
 * the provider's merchant portal): it is in flight again with a fresh round of polls. The
 * caller asks the provider once right after this commits.
 */
export async function recheckRefund(
  tx: Tx,
  actor: Actor,
  id: number,
  now: Date,
): Promise<Result<AfterSale>> {
  const moved = await moveAfterSale(tx, { id }, 'manual_review', {
    status: 'refunding',
    failure: null,
  });
  if (!moved.ok) return moved;
  const as = moved.value;
  await schedulePolls(tx, REFUND_POLL, id, now);
  await audit(
    tx,
    actor,
    'afterSale.recheck',
    { type: 'after_sale', id },
    { orderId: as.order_id, refundFen: as.refund_fen },
    now,
  );
  return ok(as);
}
