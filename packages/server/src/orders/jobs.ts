import type { AppDeps } from '../http/deps.ts';
import type { Tx } from '../db/tx.ts';
import type { JobHandler } from '../jobs/runner.ts';
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
 * Before cancelling an unpaid order, ask the provider about its waiting payments: a
 * shopper who paid just before the deadline (notification not arrived yet) gets a paid
 * order, not a cancelled one and a refund.
 */
async function paidMeanwhile(deps: AppDeps, tx: Tx, orderId: number, now: Date): Promise<boolean> {
  const pending = await tx
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
    if (q.ok && q.status === 'paid' && q.amountFen === p.amount_fen) {
      await applyPaidPayment(
        tx,
        p.out_trade_no,
        { providerTradeNo: q.providerTradeNo, notificationId: null, paidAt: q.paidAt },
        now,
      );
      return true;
    }
  }
  return false;
}

export function orderJobs(deps: AppDeps): Record<string, JobHandler> {
  return {
    // pay deadline passed: cancel (stock released, deductions voided) unless it was paid
    [JOB_AUTO_CANCEL]: async (tx, job, now) => {
      const id = Number(job.payload.orderId);
      const o = await tx
        .selectFrom('orders')
        .select(['state'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!o || o.state !== 'pending_payment') return;
      if (await paidMeanwhile(deps, tx, id, now)) return;
      await cancelOrder(tx, id, 'timeout', now);
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
