import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam } from '../http/schemas.ts';
import { currentUser } from '../http/access.ts';
import { AppError, unwrap } from '../errors/index.ts';
import { inTx } from '../db/tx.ts';
import {
  acceptRawBodies,
  sandboxPayRoutes,
  type ExpectLookup,
  type NotificationDeliverer,
  type NotificationEvent,
} from '../payments/index.ts';
import type { Tx } from '../db/tx.ts';
import { applyRefundEvent } from '../after-sale/service.ts';
import { applyTransferEvent } from '../wallet/withdrawals.ts';
import { applyPaidPayment } from './apply.ts';
import { notifyUrlFor, startPayment } from './pay.ts';
import { paymentsFor, sandboxOf } from './registry.ts';

/** What we expect a notification to say, read from our own rows (outside any transaction). */
export function expectLookup(deps: AppDeps): ExpectLookup {
  return async (ref) => {
    if (ref.kind === 'payment') {
      const p = await deps.db
        .selectFrom('payments')
        .select('amount_fen')
        .where('out_trade_no', '=', ref.outTradeNo)
        .executeTakeFirst();
      return p ? { amountFen: p.amount_fen } : null;
    }
    if (ref.kind === 'refund') {
      const a = await deps.db
        .selectFrom('after_sales')
        .select('refund_fen')
        .where('out_refund_no', '=', ref.outRefundNo)
        .executeTakeFirst();
      if (a) return { amountFen: a.refund_fen };
      const p = await deps.db
        .selectFrom('payments')
        .select('amount_fen')
        .where('orphan_refund_no', '=', ref.outRefundNo)
        .executeTakeFirst();
      return p ? { amountFen: p.amount_fen } : null;
    }
    const w = await deps.db
      .selectFrom('withdrawals')
      .select('payout_fen')
      .where('out_bill_no', '=', ref.outBillNo)
      .executeTakeFirst();
    return w ? { amountFen: w.payout_fen } : null;
  };
}

/** Books one verified notification, in the caller's single transaction. */
export async function applyNotification(
  tx: Tx,
  event: NotificationEvent,
  notificationId: string | null,
  now: Date,
): Promise<void> {
  switch (event.kind) {
    case 'paid':
      await applyPaidPayment(
        tx,
        event.outTradeNo,
        { providerTradeNo: event.providerTradeNo, notificationId, paidAt: event.paidAt },
        now,
      );
      return;
    case 'refunded':
      await applyRefundEvent(tx, event, now);
      return;
    case 'transfer':
      await applyTransferEvent(tx, event, now);
      return;
    case 'ignored':
      return;
  }
}

/**
 * Where the provider sends the shopper back: a path on this site (the shop sends one, so
 * it works whatever address the shop was opened at) or a URL on the public origin,
 * resolved against FANLI_PUBLIC_URL since real providers need an absolute URL. Null for
 * anywhere else, including `//host` and `/\\host`, which browsers read as another host.
 */
export function ownReturnUrl(publicUrl: string, given: string): string | null {
  const base = new URL(publicUrl);
  let url: URL;
  try {
    url = new URL(given, base);
  } catch {
    return null;
  }
  const isPathOrOwnUrl = given.startsWith('/') || /^https?:\/\//i.test(given);
  return isPathOrOwnUrl && url.origin === base.origin ? url.href : null;
}

/**
 * Payment routes: start a payment for my order, the providers' notification endpoints,
 * and (when the sandbox is enabled) the hosted sandbox pay page at /sandbox/pay/….
 */
export function paymentRoutes(app: App, deps: AppDeps) {
  app.post(
    '/api/v1/orders/:id/pay',
    {
      config: { access: 'user' },
      schema: {
        tags: ['payments'],
        summary:
          'Pay my order: returns what the client does next (redirect, JSAPI parameters or a QR code). Asking again reuses the waiting payment.',
        params: IdParam,
        body: Type.Object(
          {
            provider: Type.Optional(Type.String({ maxLength: 20 })),
            scene: Type.Optional(
              Type.Union([Type.Literal('h5'), Type.Literal('jsapi'), Type.Literal('page')]),
            ),
            returnUrl: Type.Optional(Type.String({ maxLength: 500 })),
            openid: Type.Optional(Type.String({ maxLength: 128 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const me = currentUser(req);
      const returnUrl = ownReturnUrl(
        deps.config.publicUrl,
        req.body.returnUrl ?? `/orders/${req.params.id}`,
      );
      // no open redirect: back to our own site only
      if (!returnUrl) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [
            { field: 'body.returnUrl', reason: 'must be a path on this site, such as /orders/1' },
          ],
        });
      }
      return unwrap(
        await startPayment(deps, {
          userId: me.id,
          orderId: req.params.id,
          provider: req.body.provider,
          scene: req.body.scene ?? 'h5',
          returnUrl,
          openid: req.body.openid,
          clientIp: req.ip,
        }),
      );
    },
  );

  // Notifications are verified on their exact bytes: raw bodies in this scope only.
  app.register(async (plain) => {
    acceptRawBodies(plain);
    const scope = plain as unknown as App;
    scope.post(
      '/api/v1/payments/:provider/notify',
      {
        config: { access: 'public' },
        schema: {
          tags: ['payments'],
          summary: 'Payment provider notifications (signed; verified on the raw body)',
          params: Type.Object({ provider: Type.String({ maxLength: 20 }) }),
        },
      },
      async (req, reply) => {
        const provider = paymentsFor(deps).get(req.params.provider);
        if (!provider) throw new AppError('NOT_FOUND');
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const v = await provider.verifyNotification(
          { rawBody, headers: req.headers },
          expectLookup(deps),
        );
        if (!v.ok) {
          req.log.warn({ provider: provider.name, code: v.code }, 'payment notification rejected');
          return reply.status(v.ack.status).type(v.ack.contentType).send(v.ack.body);
        }
        await inTx(deps.db, (tx) =>
          applyNotification(tx, v.event, v.notificationId, deps.clock.now()),
        );
        return reply.status(v.ack.status).type(v.ack.contentType).send(v.ack.body);
      },
    );
  });

  const sandbox = sandboxOf(deps);
  if (sandbox) {
    // The sandbox "gateway" lives in this process and notifies this server only, through
    // the app directly (no network hop): never an address taken from a link (no SSRF).
    const notifyUrl = notifyUrlFor(deps, 'sandbox');
    const deliver: NotificationDeliverer = async (url, n) => {
      if (url !== notifyUrl) throw new Error('sandbox notifications go to this server only');
      const res = await app.inject({
        method: 'POST',
        url: new URL(notifyUrl).pathname,
        headers: n.headers,
        payload: n.rawBody,
      });
      return { status: res.statusCode };
    };
    app.register(sandboxPayRoutes, {
      provider: sandbox,
      deliver,
      notifyUrl,
      returnOrigin: deps.config.publicUrl,
      lookupPayment: async (outTradeNo) => {
        const p = await deps.db
          .selectFrom('payments as p')
          .innerJoin('orders as o', 'o.id', 'p.order_id')
          .select(['p.amount_fen', 'p.status', 'o.order_no', 'o.state'])
          .where('p.out_trade_no', '=', outTradeNo)
          .executeTakeFirst();
        if (!p) return null;
        return {
          amountFen: p.amount_fen,
          description: `Fanli 订单 ${p.order_no}`,
          status:
            p.status === 'paid'
              ? 'paid'
              : p.status === 'pending' && p.state === 'pending_payment'
                ? 'pending'
                : 'closed',
        };
      },
    });
  }
}
