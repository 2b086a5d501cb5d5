import type { AppDeps } from '../http/deps.ts';
import type { Db } from '../db/database.ts';
import type { Job } from '../db/schema.ts';
import { inTx, type Tx } from '../db/tx.ts';
import type { AnyJobHandler } from '../jobs/runner.ts';
import { enqueue } from '../jobs/queue.ts';
import { gatewayAccount, merchantAccount, transfer } from '../ledger/index.ts';
import type { PaymentQuery, ProviderResult } from '../payments/index.ts';
import { commerceConfig, MINUTE_MS } from '../orders/config.ts';
import { applyPaidPayment, JOB_RECONCILE, JOB_REFUND_ORPHAN } from './apply.ts';
import { paymentsFor } from './registry.ts';

/**
 * Payment jobs. They call the provider with no transaction open (a slow provider holds no
 * connection and no lock), then book the answer in a transaction of their own, guarded so
 * that a repeated run books nothing twice.
 */
export function paymentJobs(deps: AppDeps): Record<string, AnyJobHandler> {
  const { db } = deps;
  const paymentOf = (id: number) =>
    db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  return {
    // a payment still pending some minutes after it started: ask the provider
    [JOB_RECONCILE]: {
      outsideTx: async (job) => {
        const p = await paymentOf(Number(job.payload.paymentId));
        if (!p || p.status !== 'pending') return;
        const provider = paymentsFor(deps).get(p.provider);
        const answer = provider ? await provider.queryPayment(p.out_trade_no) : null;
        await inTx(db, (tx) => bookReconcile(deps, tx, job, answer, deps.clock.now()));
      },
    },
    // money that arrived for an order that was no longer waiting: give it all back
    [JOB_REFUND_ORPHAN]: {
      outsideTx: async (job) => {
        const id = Number(job.payload.paymentId);
        const p = await paymentOf(id);
        if (!p || !p.orphan_refund_no) return;
        const key = `orphan-refund:${p.out_trade_no}`;
        if (await refundBooked(db, key)) return;
        const provider = paymentsFor(deps).get(p.provider);
        if (!provider) throw new Error(`payment ${id}: provider ${p.provider} is not configured`);
        // keyed by orphan_refund_no: a repeat is the same refund at the provider
        const r = await provider.refund({
          outTradeNo: p.out_trade_no,
          outRefundNo: p.orphan_refund_no,
          refundFen: p.amount_fen,
          totalFen: p.amount_fen,
          reason: '订单已关闭，自动退款',
        });
        if (!r.ok) throw new Error(`payment ${id}: orphan refund failed: ${r.code} ${r.message}`);
        await inTx(db, async (tx) => {
          const moved = await transfer(tx, {
            debit: merchantAccount('cash'),
            credit: gatewayAccount(p.provider),
            amount: p.amount_fen,
            reason: 'order.refund',
            source: { type: 'order', id: p.order_id },
            idempotencyKey: key,
            memo: { outTradeNo: p.out_trade_no, outRefundNo: p.orphan_refund_no },
            at: deps.clock.now(),
          });
          if (!moved.ok) throw new Error(`payment ${id}: ${moved.code}`);
        });
      },
    },
  };
}

const refundBooked = (db: Db, key: string) =>
  db
    .selectFrom('ledger_transfers')
    .select('id')
    .where('idempotency_key', '=', key)
    .executeTakeFirst();

/** Books what the provider said about a pending payment; asks again later while it is unpaid. */
async function bookReconcile(
  deps: AppDeps,
  tx: Tx,
  job: Job,
  q: ProviderResult<PaymentQuery> | null,
  now: Date,
) {
  const id = Number(job.payload.paymentId);
  const n = Number(job.payload.n ?? 1);
  const p = await tx
    .selectFrom('payments')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!p || p.status !== 'pending') return;
  const order = await tx
    .selectFrom('orders')
    .select(['state', 'pay_deadline'])
    .where('id', '=', p.order_id)
    .executeTakeFirstOrThrow();
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
}
