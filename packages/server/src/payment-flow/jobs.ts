import type { AppDeps } from '../http/deps.ts';
import type { JobHandler } from '../jobs/runner.ts';
import { enqueue } from '../jobs/queue.ts';
import { gatewayAccount, merchantAccount, transfer } from '../ledger/index.ts';
import { commerceConfig, MINUTE_MS } from '../orders/config.ts';
import { applyPaidPayment, JOB_RECONCILE, JOB_REFUND_ORPHAN } from './apply.ts';
import { paymentsFor } from './registry.ts';

/**
 * Payment jobs. Their provider calls happen inside the job's transaction (the runner's
 * design: effect and completion commit together); each call has the adapter's timeout.
 */
export function paymentJobs(deps: AppDeps): Record<string, JobHandler> {
  return {
    // a payment still pending some minutes after it started: ask the provider
    [JOB_RECONCILE]: async (tx, job, now) => {
      const id = Number(job.payload.paymentId);
      const n = Number(job.payload.n ?? 1);
      const p = await tx.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
      if (!p || p.status !== 'pending') return;
      const order = await tx
        .selectFrom('orders')
        .select(['state', 'pay_deadline'])
        .where('id', '=', p.order_id)
        .executeTakeFirstOrThrow();
      const provider = paymentsFor(deps).get(p.provider);
      const q = provider ? await provider.queryPayment(p.out_trade_no) : null;
      if (q?.ok && q.status === 'paid' && q.amountFen === p.amount_fen) {
        await applyPaidPayment(
          tx,
          p.out_trade_no,
          { providerTradeNo: q.providerTradeNo, notificationId: null, paidAt: q.paidAt },
          now,
        );
        return;
      }
      if (order.state !== 'pending_payment') {
        await tx
          .updateTable('payments')
          .set({ status: 'closed' })
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .execute();
        return;
      }
      // ask again later (doubling), until the order's deadline; the auto-cancel job asks last
      const next = new Date(
        now.getTime() + commerceConfig(deps).reconcileAfterMinutes * MINUTE_MS * 2 ** n,
      );
      if (next < order.pay_deadline) {
        await enqueue(
          tx,
          {
            kind: JOB_RECONCILE,
            payload: { paymentId: id, n: n + 1 },
            runAt: next,
            uniqueKey: `${JOB_RECONCILE}:${id}:${n + 1}`,
          },
          now,
        );
      }
    },
    // money that arrived for an order that was no longer waiting: give it all back
    [JOB_REFUND_ORPHAN]: async (tx, job, now) => {
      const id = Number(job.payload.paymentId);
      const p = await tx.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
      if (!p || !p.orphan_refund_no) return;
      const key = `orphan-refund:${p.out_trade_no}`;
      const done = await tx
        .selectFrom('ledger_transfers')
        .select('id')
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      if (done) return;
      const provider = paymentsFor(deps).get(p.provider);
      if (!provider) throw new Error(`payment ${id}: provider ${p.provider} is not configured`);
      const r = await provider.refund({
        outTradeNo: p.out_trade_no,
        outRefundNo: p.orphan_refund_no,
        refundFen: p.amount_fen,
        totalFen: p.amount_fen,
        reason: '订单已关闭，自动退款',
      });
      if (!r.ok) throw new Error(`payment ${id}: orphan refund failed: ${r.code} ${r.message}`);
      const moved = await transfer(tx, {
        debit: merchantAccount('cash'),
        credit: gatewayAccount(p.provider),
        amount: p.amount_fen,
        reason: 'order.refund',
        source: { type: 'order', id: p.order_id },
        idempotencyKey: key,
        memo: { outTradeNo: p.out_trade_no, outRefundNo: p.orphan_refund_no },
        at: now,
      });
      if (!moved.ok) throw new Error(`payment ${id}: ${moved.code}`);
    },
  };
}
