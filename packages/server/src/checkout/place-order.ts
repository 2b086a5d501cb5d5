import { sql } from 'kysely';
import type { Tx } from '../db/tx.ts';
import type { AddressSnapshot, Order, OrderLine } from '../db/schema-commerce.ts';
import { err, ok, type Result } from '../errors/index.ts';
import { balanceOf, merchantAccount, transfer, userAccount } from '../ledger/index.ts';
import { enqueue } from '../jobs/queue.ts';
import { MINUTE_MS, type CommerceConfig } from '../orders/config.ts';
import { JOB_AUTO_CANCEL, markOrderPaid } from '../orders/lifecycle.ts';
import { newOrderNo } from '../orders/numbers.ts';
import { checkoutHooks } from './hooks.ts';
import { priceOrder, type PricedOrder } from './pricing.ts';

export interface CheckoutInput {
  userId: number;
  items: { skuId: number; qty: number }[];
  /** pay part with points (as many as the rule allows, at most maxPoints) */
  usePoints?: boolean | undefined;
  maxPoints?: number | undefined;
  /** pay part with the available cash balance (at most maxBalanceFen) */
  useBalance?: boolean | undefined;
  maxBalanceFen?: number | undefined;
  couponId?: number | undefined;
}

export interface PlaceOrderInput extends CheckoutInput {
  addressId: number;
  note?: string | undefined;
  /** the items came from the cart: remove them from it */
  fromCart?: boolean | undefined;
}

interface SkuRow {
  sku_id: number;
  product_id: number;
  title: string;
  spec: Record<string, string>;
  images: string[];
  price_fen: number;
  stock: number;
  store_id: number | null;
}

/** Same SKU twice → one line; lines in SKU id order (reservations always lock in one order). */
function mergeItems(items: { skuId: number; qty: number }[]) {
  const m = new Map<number, number>();
  for (const i of items) m.set(i.skuId, (m.get(i.skuId) ?? 0) + i.qty);
  return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([skuId, qty]) => ({ skuId, qty }));
}

async function loadSkus(tx: Tx, ids: number[]): Promise<Map<number, SkuRow>> {
  const rows = await tx
    .selectFrom('skus as s')
    .innerJoin('products as p', 'p.id', 's.product_id')
    .select([
      's.id as sku_id',
      's.product_id',
      'p.title',
      's.spec',
      'p.images',
      's.price_fen',
      's.stock',
      'p.store_id',
    ])
    .where('s.id', 'in', ids)
    .where('p.on_shelf', '=', true)
    .execute();
  return new Map(rows.map((r) => [r.sku_id, r]));
}

interface Quote {
  priced: PricedOrder;
  skus: Map<number, SkuRow>;
  items: { skuId: number; qty: number }[];
  /** the buyer's member level now: the order keeps it for its whole life */
  memberLevel: string | null;
}

/**
 * Runs the price pipeline with the buyer's current member level, points, balance and
 * hooks, under the rules in force at `at`.
 */
async function quote(
  tx: Tx,
  cfg: CommerceConfig,
  input: CheckoutInput,
  redeemCoupon: { orderId: number } | null,
  at: Date,
): Promise<Result<Quote>> {
  const items = mergeItems(input.items);
  const skus = await loadSkus(
    tx,
    items.map((i) => i.skuId),
  );
  if (items.some((i) => !skus.has(i.skuId))) return err('SKU_NOT_AVAILABLE');
  const lines = items.map((i) => ({
    skuId: i.skuId,
    qty: i.qty,
    unitPriceFen: skus.get(i.skuId)!.price_fen,
  }));
  const { member_level: memberLevel } = await tx
    .selectFrom('users')
    .select('member_level')
    .where('id', '=', input.userId)
    .executeTakeFirstOrThrow();
  const memberDiscountPct = await checkoutHooks.memberDiscountPct(tx, memberLevel, at);
  let coupon: { discountFen: number; eligibleSkuIds?: number[]; couponId: number } | null = null;
  if (input.couponId !== undefined) {
    // the coupon sees the amounts after the member discount
    const afterMember = priceOrder({
      lines,
      memberDiscountPct,
      coupon: null,
      points: null,
      balance: null,
    });
    const q = await checkoutHooks.applyCoupon(tx, {
      userId: input.userId,
      couponId: input.couponId,
      amountFen: afterMember.payableFen,
      lines: afterMember.lines.map((l) => ({ skuId: l.skuId, amountFen: l.paidFen })),
      redeem: redeemCoupon !== null,
      ...(redeemCoupon ? { orderId: redeemCoupon.orderId } : {}),
    });
    if (!q.ok) return err(q.code);
    coupon = q.value;
  }
  const points = input.usePoints
    ? (await balanceOf(tx, userAccount(input.userId, 'points'))).available
    : 0;
  const cash = input.useBalance
    ? (await balanceOf(tx, userAccount(input.userId, 'cash'))).available
    : 0;
  const priced = priceOrder({
    lines,
    memberDiscountPct,
    coupon,
    points: input.usePoints
      ? { ...cfg.points, available: points, maxPoints: input.maxPoints }
      : null,
    balance: input.useBalance ? { availableFen: cash, maxFen: input.maxBalanceFen } : null,
  });
  return ok({ priced, skus, items, memberLevel });
}

/** What the order would cost now (no stock reserved, nothing written). */
export async function previewCheckout(
  tx: Tx,
  cfg: CommerceConfig,
  input: CheckoutInput,
  now: Date,
) {
  const q = await quote(tx, cfg, input, null, now);
  if (!q.ok) return q;
  const { priced, skus } = q.value;
  return ok({
    ...priced,
    lines: priced.lines.map((l) => {
      const s = skus.get(l.skuId)!;
      return {
        ...l,
        productId: s.product_id,
        title: s.title,
        spec: s.spec,
        image: s.images[0] ?? null,
        inStock: s.stock >= l.qty,
      };
    }),
  });
}

/**
 * Places an order in one transaction: stock reserved by conditional UPDATEs (never
 * oversold), the price pipeline run, order and lines written with their snapshot, points
 * and balance reserved as pending ledger transfers, and the auto-cancel job scheduled.
 * An order fully paid by points and balance is paid at once.
 */
export async function placeOrder(
  tx: Tx,
  cfg: CommerceConfig,
  input: PlaceOrderInput,
  now: Date,
): Promise<Result<{ orderId: number; order: Order; lines: OrderLine[] }>> {
  const address = await tx
    .selectFrom('addresses')
    .selectAll()
    .where('id', '=', input.addressId)
    .where('user_id', '=', input.userId)
    .executeTakeFirst();
  if (!address) return err('ADDRESS_REQUIRED');

  const items = mergeItems(input.items);
  for (const i of items) {
    const reserved = await tx
      .updateTable('skus')
      .set({ stock: sql`stock - ${i.qty}` })
      .where('id', '=', i.skuId)
      .where('stock', '>=', i.qty)
      .returning('id')
      .executeTakeFirst();
    if (!reserved) {
      const exists = await tx
        .selectFrom('skus')
        .select('id')
        .where('id', '=', i.skuId)
        .executeTakeFirst();
      return err(exists ? 'OUT_OF_STOCK' : 'SKU_NOT_AVAILABLE', { skuId: i.skuId });
    }
  }

  const snapshot: AddressSnapshot = {
    name: address.name,
    phone: address.phone,
    province: address.province,
    city: address.city,
    district: address.district,
    detail: address.detail,
  };
  const deadline = new Date(now.getTime() + cfg.payMinutes * MINUTE_MS);
  // the order row first (zero amounts), so a coupon can be redeemed against its id
  const order = await tx
    .insertInto('orders')
    .values({
      order_no: newOrderNo(now),
      user_id: input.userId,
      store_id: null,
      state: 'pending_payment',
      items_fen: 0,
      payable_fen: 0,
      coupon_id: null,
      points_transfer_id: null,
      balance_transfer_id: null,
      address: JSON.stringify(snapshot),
      note: input.note ?? '',
      payment_provider: null,
      created_at: now,
      pay_deadline: deadline,
      paid_at: null,
      shipped_at: null,
      carrier: null,
      tracking_no: null,
      completed_at: null,
      settle_at: null,
      settled_at: null,
      cancelled_at: null,
      cancel_reason: null,
    })
    .returning(['id', 'order_no'])
    .executeTakeFirstOrThrow();

  const q = await quote(tx, cfg, input, { orderId: order.id }, now);
  if (!q.ok) return q;
  const { priced, skus, memberLevel } = q.value;
  const storeIds = new Set(priced.lines.map((l) => skus.get(l.skuId)!.store_id));

  const lines = await tx
    .insertInto('order_lines')
    .values(
      priced.lines.map((l) => {
        const s = skus.get(l.skuId)!;
        return {
          order_id: order.id,
          product_id: s.product_id,
          sku_id: l.skuId,
          title: s.title,
          spec: JSON.stringify(s.spec),
          image: s.images[0] ?? null,
          unit_price_fen: l.unitPriceFen,
          qty: l.qty,
          subtotal_fen: l.subtotalFen,
          member_discount_fen: l.memberDiscountFen,
          coupon_fen: l.couponFen,
          points_fen: l.pointsFen,
          points: l.points,
          balance_fen: l.balanceFen,
          paid_fen: l.paidFen,
        };
      }),
    )
    .returningAll()
    .execute();

  const source = { type: 'order', id: order.id };
  let pointsTransferId: number | null = null;
  let balanceTransferId: number | null = null;
  if (priced.pointsUsed > 0) {
    const t = await transfer(tx, {
      debit: userAccount(input.userId, 'points'),
      credit: merchantAccount('points'),
      amount: priced.pointsUsed,
      reason: 'order.points',
      source,
      pending: true,
      at: now,
    });
    if (!t.ok) return err(t.code);
    pointsTransferId = t.transfer.id;
  }
  if (priced.balanceFen > 0) {
    const t = await transfer(tx, {
      debit: userAccount(input.userId, 'cash'),
      credit: merchantAccount('cash'),
      amount: priced.balanceFen,
      reason: 'order.balance',
      source,
      pending: true,
      at: now,
    });
    if (!t.ok) return err(t.code);
    balanceTransferId = t.transfer.id;
  }

  let placed = await tx
    .updateTable('orders')
    .set({
      store_id: storeIds.size === 1 ? [...storeIds][0]! : null,
      items_fen: priced.itemsFen,
      member_discount_fen: priced.memberDiscountFen,
      coupon_fen: priced.couponFen,
      coupon_id: input.couponId ?? null,
      points_fen: priced.pointsFen,
      points_used: priced.pointsUsed,
      balance_fen: priced.balanceFen,
      payable_fen: priced.payableFen,
      member_level: memberLevel,
      points_transfer_id: pointsTransferId,
      balance_transfer_id: balanceTransferId,
    })
    .where('id', '=', order.id)
    .returningAll()
    .executeTakeFirstOrThrow();

  if (input.fromCart) {
    await tx
      .deleteFrom('cart_items')
      .where('user_id', '=', input.userId)
      .where(
        'sku_id',
        'in',
        priced.lines.map((l) => l.skuId),
      )
      .execute();
  }

  if (priced.payableFen === 0) {
    // nothing left for a payment provider: points and balance paid it all
    placed = (await markOrderPaid(tx, order.id, null, now)) ?? placed;
  } else {
    await enqueue(
      tx,
      {
        kind: JOB_AUTO_CANCEL,
        payload: { orderId: order.id },
        runAt: deadline,
        uniqueKey: `${JOB_AUTO_CANCEL}:${order.id}`,
      },
      now,
    );
  }
  // the order as written, for the caller's answer without reading it back
  return ok({ orderId: order.id, order: placed, lines });
}
