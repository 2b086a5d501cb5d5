import { randomBytes } from 'node:crypto';
import type { Tx } from '../db/tx.ts';
import { err, ok, type Result } from '../errors/index.ts';
import { enqueue } from '../jobs/queue.ts';
import { newOrderNo } from '../orders/numbers.ts';
import { JOB_AUTO_CANCEL, completeOrder } from '../orders/lifecycle.ts';
import type { OrderListener } from '../orders/events.ts';
import type { CommerceConfig } from '../orders/config.ts';

/** How long a QR code at the till stays payable. */
export const CHARGE_TTL_MS = 15 * 60_000;

export type ChargeStatus = 'pending' | 'paid' | 'expired';

export function chargeStatus(orderState: string | null, expiresAt: Date, now: Date): ChargeStatus {
  if (orderState === 'paid' || orderState === 'shipped' || orderState === 'completed')
    return 'paid';
  return now > expiresAt ? 'expired' : 'pending';
}

export async function createCharge(
  tx: Tx,
  input: { cashierId: number; storeId: number; amountFen: number; note: string },
  now: Date,
) {
  return tx
    .insertInto('cashier_charges')
    .values({
      code: randomBytes(12).toString('base64url'),
      store_id: input.storeId,
      cashier_id: input.cashierId,
      amount_fen: input.amountFen,
      note: input.note,
      order_id: null,
      created_at: now,
      expires_at: new Date(now.getTime() + CHARGE_TTL_MS),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The customer opens the charge to pay it: the first customer gets an order for the
 * amount (no lines; store and cashier recorded), later calls by the same customer get the
 * same order, anyone else is refused. The order is paid like any order.
 */
export async function claimCharge(
  tx: Tx,
  code: string,
  userId: number,
  now: Date,
): Promise<Result<{ orderId: number }>> {
  const charge = await tx
    .selectFrom('cashier_charges')
    .selectAll()
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
  if (!charge) return err('NOT_FOUND');
  if (charge.order_id !== null) {
    const o = await tx
      .selectFrom('orders')
      .select(['id', 'user_id'])
      .where('id', '=', charge.order_id)
      .executeTakeFirstOrThrow();
    return o.user_id === userId ? ok({ orderId: o.id }) : err('CHARGE_TAKEN');
  }
  if (now > new Date(charge.expires_at)) return err('CHARGE_EXPIRED');
  const buyer = await tx
    .selectFrom('users')
    .select('member_level')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const order = await tx
    .insertInto('orders')
    .values({
      order_no: newOrderNo(now),
      user_id: userId,
      store_id: charge.store_id,
      cashier_id: charge.cashier_id,
      state: 'pending_payment',
      items_fen: charge.amount_fen,
      payable_fen: charge.amount_fen,
      coupon_id: null,
      points_transfer_id: null,
      balance_transfer_id: null,
      address: JSON.stringify({ inStore: true }),
      note: charge.note,
      payment_provider: null,
      created_at: now,
      pay_deadline: new Date(charge.expires_at),
      paid_at: null,
      shipped_at: null,
      carrier: null,
      tracking_no: null,
      completed_at: null,
      settle_at: null,
      settled_at: null,
      cancelled_at: null,
      cancel_reason: null,
      // the level it is placed with picks its benefits (no member discount on a till amount)
      member_level: buyer.member_level,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('cashier_charges')
    .set({ order_id: order.id })
    .where('id', '=', charge.id)
    .execute();
  await enqueue(
    tx,
    {
      kind: JOB_AUTO_CANCEL,
      payload: { orderId: order.id },
      runAt: new Date(charge.expires_at),
      uniqueKey: `${JOB_AUTO_CANCEL}:${order.id}`,
    },
    now,
  );
  return ok({ orderId: order.id });
}

/** Goods change hands at the till: an in-store payment completes the moment it is paid. */
export function inStoreListener(cfg: () => CommerceConfig): OrderListener {
  return {
    name: 'cashier',
    async onPaid(tx, e) {
      if (e.order.cashier_id === null) return;
      const done = await completeOrder(tx, cfg(), e.orderId, e.at, 'paid');
      if (!done.ok) throw new Error(`in-store order ${e.orderId} could not complete: ${done.code}`);
    },
  };
}
