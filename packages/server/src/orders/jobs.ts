import type { AppDeps } from '../http/deps.ts';
import { inTx } from '../db/tx.ts';
import type { AnyJobHandler } from '../jobs/runner.ts';
import type { PaymentQuery } from '../payments/index.ts';
import { applyPaidPayment } from '../payment-flow/apply.ts';
import { paymentsFor } from '../payment-flow/registry.ts';
import { commerceConfig } from './config.ts';
import {
  cancelOrder,
  completeOrder,
  JOB_AUTO_CANCEL,
  JOB_AUTO_COMPLETE,
  JOB_SETTLE,
  settleOrder,
} from './lifecycle.ts';

/**
 * Before cancelling an unpaid order, ask the provider about its waiting payments (with no
 * transaction open): a shopper who paid just before the deadline (notification not arrived
 * yet) gets a paid order, not a cancelled one and a refund.
 */
async function paidMeanwhile(
  deps: AppDeps,
  orderId: number,
): Promise<{ outTradeNo: string; answer: PaymentQuery } | null> {
  const pending = await deps.db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
  for (const p of pending) {
    const provider = paymentsFor(deps).get(p.provider);
    if (!provider) continue;
    const q = await provider.queryPayment(p.out_trade_no);
    if (q.ok && q.status === 'paid' && q.amountFen === p.amount_fen)
      return { outTradeNo: p.out_trade_no, answer: q };
  }
  return null;
}

export function orderJobs(deps: AppDeps): Record<string, AnyJobHandler> {
  const stateOf = (id: number) =>
    deps.db.selectFrom('orders').select(['state']).where('id', '=', id).executeTakeFirst();
  return {
    // pay deadline passed: cancel (stock released, deductions voided) unless it was paid
    [JOB_AUTO_CANCEL]: {
      outsideTx: async (job) => {
        const id = Number(job.payload.orderId);
        if ((await stateOf(id))?.state !== 'pending_payment') return;
        const paid = await paidMeanwhile(deps, id);
        await inTx(deps.db, async (tx) => {
          const now = deps.clock.now();
          if (paid) {
            const q = paid.answer;
            await applyPaidPayment(
              tx,
              paid.outTradeNo,
              { providerTradeNo: q.providerTradeNo, notificationId: null, paidAt: q.paidAt },
              now,
            );
            return;
          }
          // guarded on pending_payment: an order paid meanwhile stays paid
          await cancelOrder(tx, id, 'timeout', now);
        });
      },
    },
    // shipped N days ago and not confirmed: complete it
    [JOB_AUTO_COMPLETE]: async (tx, job, now) => {
      await completeOrder(tx, commerceConfig(deps), Number(job.payload.orderId), now);
    },
    // the after-sale window ended: tell the rule engine
    [JOB_SETTLE]: async (tx, job, now) => {
      await settleOrder(tx, Number(job.payload.orderId), now);
    },
  };
}
