import { sql, type QueryCreator } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Tx } from '../db/tx.ts';
import type { AddressSnapshot, Order, OrderLine } from '../db/schema-commerce.ts';
import { err, ok, type Result } from '../errors/index.ts';
import { balanceOf, merchantAccount, transfer, userAccount } from '../ledger/index.ts';
import { enqueueQuery } from '../jobs/queue.ts';
import { MINUTE_MS, type CommerceConfig } from '../orders/config.ts';
import { JOB_AUTO_CANCEL, markOrderPaid } from '../orders/lifecycle.ts';
import { newOrderNo } from '../orders/numbers.ts';
import { rulesInForce } from '../rules/versions.ts';
import { registryOf } from '../app/registry.ts';
import { priceOrder, type PricedOrder } from '@fanli/engine';

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

/**
 * The SKUs on shelf with the buyer's member level in one statement; when placing, also a
 * new order id, so the coupon, the ledger transfers and the order's lines can refer to the
 * order before its row is written, and the row is written once, with its final amounts.
 */
async function loadCheckout(tx: Tx, userId: number, skuIds: number[], newOrderId: boolean) {
  const rows = await tx
    // a CTE with a volatile function is evaluated once: one id, whatever the SKU count
    .with('buyer', (db) =>
      db
        .selectFrom('users')
        .select([
          'member_level',
          (newOrderId
            ? sql<number | null>`nextval(pg_get_serial_sequence('orders', 'id'))`
            : sql<number | null>`null`
          ).as('order_id'),
        ])
        .where('id', '=', userId),
    )
    .selectFrom('skus as s')
    .innerJoin('products as p', 'p.id', 's.product_id')
    .innerJoin('buyer', (j) => j.onTrue())
    .select([
      's.id as sku_id',
      's.product_id',
      'p.title',
      's.spec',
      'p.images',
      's.price_fen',
      's.stock',
      'p.store_id',
      'buyer.member_level',
      'buyer.order_id',
    ])
    .where('s.id', 'in', skuIds)
    .where('p.on_shelf', '=', true)
    .execute();
  return {
    skus: new Map<number, SkuRow>(rows.map((r) => [r.sku_id, r])),
    memberLevel: rows[0]?.member_level ?? null,
    orderId: rows[0]?.order_id ?? null,
  };
}

interface Quote {
  priced: PricedOrder;
  skus: Map<number, SkuRow>;
  items: { skuId: number; qty: number }[];
  /** the buyer's member level now: the order keeps it for its whole life */
  memberLevel: string | null;
  /** the id of the order being placed (null in a preview) */
  orderId: number | null;
}

/**
 * Runs the price pipeline with the buyer's current member level, points, balance and
 * hooks, under the rules in force at `at`. When `placing`, the coupon is redeemed against
 * the new order's id.
 */
async function quote(
  tx: Tx,
  cfg: CommerceConfig,
  input: CheckoutInput,
  placing: boolean,
  at: Date,
): Promise<Result<Quote>> {
  const items = mergeItems(input.items);
  const { skus, memberLevel, orderId } = await loadCheckout(
    tx,
    input.userId,
    items.map((i) => i.skuId),
    placing,
  );
  if (items.some((i) => !skus.has(i.skuId))) return err('SKU_NOT_AVAILABLE');
  const lines = items.map((i) => ({
    skuId: i.skuId,
    qty: i.qty,
    unitPriceFen: skus.get(i.skuId)!.price_fen,
  }));
  const hooks = registryOf(tx).checkout;
  const memberDiscountPct = await hooks.memberDiscountPct(tx, memberLevel, at);
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
    const q = await hooks.applyCoupon(tx, {
      userId: input.userId,
      couponId: input.couponId,
      amountFen: afterMember.payableFen,
      lines: afterMember.lines.map((l) => ({ skuId: l.skuId, amountFen: l.paidFen })),
      redeem: orderId !== null,
      ...(orderId !== null ? { orderId } : {}),
    });
    if (!q.ok) return err(q.code);
    coupon = q.value;
  }
  const points = input.usePoints
    ? (await balanceOf(tx, userAccount(input.userId, 'points'))).available
    : 0;
  // a point is worth what the rules in force say, as for every reward paid in points
  const fenPerPoint = input.usePoints
    ? (await rulesInForce(tx, at)).settings.points.fenPerPoint
    : 0;
  const cash = input.useBalance
    ? (await balanceOf(tx, userAccount(input.userId, 'cash'))).available
    : 0;
  const priced = priceOrder({
    lines,
    memberDiscountPct,
    coupon,
    points: input.usePoints
      ? { ...cfg.points, fenPerPoint, available: points, maxPoints: input.maxPoints }
      : null,
    balance: input.useBalance ? { availableFen: cash, maxFen: input.maxBalanceFen } : null,
  });
  return ok({ priced, skus, items, memberLevel, orderId });
}

/** What the order would cost now (no stock reserved, nothing written). */
export async function previewCheckout(
  tx: Tx,
  cfg: CommerceConfig,
  input: CheckoutInput,
  now: Date,
) {
  const q = await quote(tx, cfg, input, false, now);
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

const ADDRESS_FIELDS = [
  'name',
  'phone',
  'province',
  'city',
  'district',
  'detail',
] as const satisfies readonly (keyof AddressSnapshot)[];

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
  const placed = await writeOrder(tx, cfg, input, now);
  // The address is read by the order's INSERT, after stock and price; it still answers
  // first when something else is wrong too, as when it was read first (a look-up on the
  // failure path only). The caller rolls a failure back.
  if (!placed.ok && placed.code !== 'ADDRESS_REQUIRED') {
    const address = await tx
      .selectFrom('addresses')
      .select('id')
      .where('id', '=', input.addressId)
      .where('user_id', '=', input.userId)
      .executeTakeFirst();
    if (!address) return err('ADDRESS_REQUIRED');
  }
  return placed;
}

async function writeOrder(
  tx: Tx,
  cfg: CommerceConfig,
  input: PlaceOrderInput,
  now: Date,
): Promise<Result<{ orderId: number; order: Order; lines: OrderLine[] }>> {
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

  // priced before the order is written (the coupon is redeemed against its new id), so
  // the row is inserted once, with its final amounts
  const q = await quote(tx, cfg, input, true, now);
  if (!q.ok) return q;
  const { priced, skus, memberLevel } = q.value;
  const orderId = q.value.orderId!;
  const held = await registryOf(tx).checkout.reserveActivityStock(tx, {
    userId: input.userId,
    orderId,
    lines: items,
  });
  if (!held.ok) return err(held.code);
  const storeIds = new Set(priced.lines.map((l) => skus.get(l.skuId)!.store_id));

  const source = { type: 'order', id: orderId };
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

  const deadline = new Date(now.getTime() + cfg.payMinutes * MINUTE_MS);
  // the columns left out (paid_at, shipped_at, …) start null
  const values = {
    id: orderId,
    order_no: newOrderNo(now),
    user_id: input.userId,
    store_id: storeIds.size === 1 ? [...storeIds][0]! : null,
    state: 'pending_payment' as const,
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
    note: input.note ?? '',
    created_at: now,
    pay_deadline: deadline,
  };
  const columns = Object.keys(values) as (keyof typeof values)[];
  // an unpaid order is cancelled at its deadline: the job is written by the same statement
  const writer: Pick<QueryCreator<DB>, 'insertInto'> = priced.payableFen > 0
    ? tx.with('auto_cancel', () =>
        enqueueQuery(
          tx,
          {
            kind: JOB_AUTO_CANCEL,
            payload: { orderId },
            runAt: deadline,
            uniqueKey: `${JOB_AUTO_CANCEL}:${orderId}`,
          },
          now,
        ),
      )
    : tx;
  // the address snapshot is taken by the INSERT itself: no row unless it is the buyer's
  const order = await writer
    .insertInto('orders')
    .columns([...columns, 'address'])
    .expression((eb) =>
      eb
        .selectFrom('addresses')
        .select([
          ...columns.map((c) => eb.val(values[c]).as(c)),
          sql<AddressSnapshot>`jsonb_build_object(${sql.join(
            ADDRESS_FIELDS.map((f) => sql`${sql.lit(f)}, ${sql.ref(f)}`),
          )})`.as('address'),
        ])
        .where('id', '=', input.addressId)
        .where('user_id', '=', input.userId),
    )
    .returningAll()
    .executeTakeFirst();
  if (!order) return err('ADDRESS_REQUIRED');

  const lines = await tx
    .insertInto('order_lines')
    .values(
      priced.lines.map((l) => {
        const s = skus.get(l.skuId)!;
        return {
          order_id: orderId,
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

  // nothing left for a payment provider: points and balance paid it all
  const placed =
    priced.payableFen === 0 ? ((await markOrderPaid(tx, orderId, null, now)) ?? order) : order;
  // the order as written, for the caller's answer without reading it back
  return ok({ orderId, order: placed, lines });
}
