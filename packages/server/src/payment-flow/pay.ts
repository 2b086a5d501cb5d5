import { sql } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import type { AppDeps } from '../http/deps.ts';
import { inTxResult } from '../db/tx.ts';
import { err, ok, type Result } from '../errors/index.ts';
import { enqueueQuery } from '../jobs/queue.ts';
import type { PaymentAction, PaymentScene } from '../payments/index.ts';
import { commerceConfig, MINUTE_MS } from '../orders/config.ts';
import { outTradeNoFor } from '../orders/numbers.ts';
import { JOB_RECONCILE } from './apply.ts';
import { paymentsFor } from './registry.ts';

export interface StartPaymentInput {
  userId: number;
  orderId: number;
  provider?: string | undefined;
  scene: PaymentScene;
  returnUrl: string;
  openid?: string | undefined;
  clientIp?: string | undefined;
}

export interface StartedPayment {
  paymentId: number;
  outTradeNo: string;
  provider: string;
  amountFen: number;
  action: PaymentAction;
}

export const notifyUrlFor = (deps: AppDeps, provider: string) =>
  `${deps.config.publicUrl}/api/v1/payments/${provider}/notify`;

/**
 * Asks the provider to take an order's payable amount. The payment row and its
 * out_trade_no are committed BEFORE the provider is called (no transaction is held during
 * the network call); asking again reuses the waiting payment of the same provider, so the
 * provider sees one trade per attempt, never two trades for one click.
 */
export async function startPayment(
  deps: AppDeps,
  input: StartPaymentInput,
): Promise<Result<StartedPayment>> {
  const registry = paymentsFor(deps);
  const providerName = input.provider ?? registry.defaultName;
  const provider = registry.get(providerName);
  if (!provider) return err('PAYMENT_PROVIDER_UNKNOWN');
  const now = deps.clock.now();
  const cfg = commerceConfig(deps);
  const prepared = await inTxResult(deps.db, async (tx) => {
    for (let pass = 1; ; pass++) {
      // the order locked, with what its payment attempts say, in one statement
      const order = await tx
        .selectFrom('orders as o')
        .select((eb) => [
          'o.id',
          'o.order_no',
          'o.state',
          'o.payable_fen',
          'o.pay_deadline',
          eb
            .selectFrom('payments as p')
            .select(eb.fn.countAll<number>().as('n'))
            .whereRef('p.order_id', '=', 'o.id')
            .as('attempts'),
          jsonObjectFrom(
            eb
              .selectFrom('payments as p')
              .select(['p.id', 'p.out_trade_no', 'p.amount_fen'])
              .whereRef('p.order_id', '=', 'o.id')
              .where('p.provider', '=', providerName)
              .where('p.status', '=', 'pending')
              .orderBy('p.id')
              .limit(1),
          ).as('waiting'),
        ])
        .where('o.id', '=', input.orderId)
        .where('o.user_id', '=', input.userId)
        .forUpdate()
        .executeTakeFirst();
      if (!order) return err('NOT_FOUND');
      if (order.state !== 'pending_payment' || order.pay_deadline <= now)
        return err('ORDER_STATE_INVALID');
      const found = { orderNo: order.order_no, deadline: order.pay_deadline };
      if (order.waiting) return ok({ payment: order.waiting, ...found });
      // the payment and its reconcile job in one statement
      const payment = await tx
        .with('payment', (db) =>
          db
            .insertInto('payments')
            .values({
              order_id: order.id,
              provider: providerName,
              out_trade_no: outTradeNoFor(order.order_no, Number(order.attempts) + 1),
              amount_fen: order.payable_fen,
              provider_trade_no: null,
              action: null,
              notification_id: null,
              created_at: now,
              paid_at: null,
              orphan_refund_no: null,
            })
            .onConflict((oc) => oc.column('out_trade_no').doNothing())
            .returning(['id', 'out_trade_no', 'amount_fen']),
        )
        .with('reconcile', () =>
          enqueueQuery(
            tx,
            {
              kind: JOB_RECONCILE,
              payload: sql<Record<string, unknown>>`jsonb_build_object('paymentId', payment.id)`,
              runAt: new Date(now.getTime() + cfg.reconcileAfterMinutes * MINUTE_MS),
              uniqueKey: sql<string>`${`${JOB_RECONCILE}:`}::text || payment.id || ':1'`,
            },
            now,
            'payment',
          ),
        )
        .selectFrom('payment')
        .selectAll()
        .executeTakeFirst();
      if (payment) return ok({ payment, ...found });
      // Its out_trade_no is taken: a concurrent request for this order committed an attempt
      // while we waited for the order's lock, after the snapshot our read saw. We hold the
      // lock now, so a new statement sees every attempt: read again.
      if (pass >= 2) throw new Error(`payment attempt numbering of order ${order.id} conflicts`);
    }
  });
  if (!prepared.ok) return prepared;
  const { payment, orderNo, deadline } = prepared.value;
  const created = await provider.createPayment({
    outTradeNo: payment.out_trade_no,
    amountFen: payment.amount_fen,
    description: `Fanli 订单 ${orderNo}`,
    payer: {
      ...(input.openid ? { openid: input.openid } : {}),
      ...(input.clientIp ? { clientIp: input.clientIp } : {}),
    },
    notifyUrl: notifyUrlFor(deps, providerName),
    returnUrl: input.returnUrl,
    scene: input.scene,
    expiresAt: deadline,
  });
  if (!created.ok) {
    return err(
      created.code === 'UNSUPPORTED_SCENE' || created.code === 'INVALID_INPUT'
        ? 'VALIDATION_FAILED'
        : 'PAYMENT_FAILED',
      {
        provider: providerName,
        reason: created.message,
      },
    );
  }
  // one statement, atomic by itself: no transaction needed around it
  await deps.db
    .updateTable('payments')
    .set({ action: JSON.stringify(created.action) })
    .where('id', '=', payment.id)
    .execute();
  return ok({
    paymentId: payment.id,
    outTradeNo: payment.out_trade_no,
    provider: providerName,
    amountFen: payment.amount_fen,
    action: created.action,
  });
}
