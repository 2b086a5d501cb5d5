/**
 * Helpers for the commerce integration tests (not used by the server): users created
 * directly in the database (no argon2, so hundreds are cheap), a product with one SKU,
 * an address, money in a wallet, and a sandbox payment notification.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { callerFor, type Caller, type TestApp } from '../../test/app.ts';
import { inTx } from '../db/tx.ts';
import { createSession } from '../auth/sessions.ts';
import { merchantAccount, transfer, userAccount, type Asset } from '../ledger/index.ts';
import { sandboxOf } from '../payment-flow/registry.ts';

let seq = 0;
const unique = () => `${process.pid}${++seq}${randomBytes(3).toString('hex')}`;

/** A shopper inserted directly with a long session: for load tests. */
export async function quickShopper(t: TestApp): Promise<Caller> {
  const { id, token } = await inTx(t.deps.db, async (tx) => {
    const u = await tx
      .insertInto('users')
      .values({
        phone: null,
        password_hash: null,
        role: 'shopper',
        store_id: null,
        nickname: `buyer${seq}`,
        referral_code: `T${unique()}`.slice(0, 20),
        referrer_id: null,
        referred_at: null,
        locked_until: null,
        privacy_version: null,
        privacy_consented_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const s = await createSession(tx, u.id, t.clock.now(), 24 * 365, 'test');
    return { id: u.id, token: s.token };
  });
  return callerFor(t.app, id, token);
}

export async function quickStaff(t: TestApp, role: 'staff' | 'admin'): Promise<Caller> {
  const c = await quickShopper(t);
  await t.deps.db.updateTable('users').set({ role }).where('id', '=', c.userId).execute();
  return c;
}

export async function seedSku(
  t: TestApp,
  opts: { priceFen: number; stock: number; title?: string },
): Promise<{ productId: number; skuId: number }> {
  return inTx(t.deps.db, async (tx) => {
    const p = await tx
      .insertInto('products')
      .values({
        title: opts.title ?? 'Test product',
        images: JSON.stringify(['/img/p.png']),
        price_fen: opts.priceFen,
        category_id: null,
        store_id: null,
        supplier: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const s = await tx
      .insertInto('skus')
      .values({
        product_id: p.id,
        spec: JSON.stringify({ size: 'M' }),
        price_fen: opts.priceFen,
        cost_fen: null,
        stock: opts.stock,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { productId: p.id, skuId: s.id };
  });
}

export async function addressOf(c: Caller): Promise<number> {
  // each shopper their own phone and street: shared ones mark a referral ring (rules/abuse.ts)
  const phone = `138${String(c.userId % 1e8).padStart(8, '0')}`;
  const res = await c.request({
    method: 'POST',
    url: '/api/v1/addresses',
    payload: {
      name: '张三',
      phone,
      province: '广东',
      city: '深圳',
      detail: `南山区 ${c.userId} 号`,
    },
  });
  if (res.statusCode !== 201) throw new Error(`address: ${res.body}`);
  return (res.json() as { id: number }).id;
}

/** Gives a user available cash or points (from the merchant). */
export async function fund(
  t: TestApp,
  userId: number,
  asset: Asset,
  amount: number,
): Promise<void> {
  await inTx(t.deps.db, async (tx) => {
    const r = await transfer(tx, {
      debit: merchantAccount(asset),
      credit: userAccount(userId, asset),
      amount,
      reason: 'admin.adjustment',
      at: t.clock.now(),
    });
    if (!r.ok) throw new Error(r.code);
  });
}

/** Publishes rules in force from now, as an admin does in the console (e.g. `{ points: { fenPerPoint: 1 } }`). */
export async function publishTestRules(
  t: TestApp,
  settings: Record<string, unknown>,
): Promise<void> {
  const admin = await quickStaff(t, 'admin');
  const res = await admin.request({
    method: 'POST',
    url: '/api/v1/admin/rules',
    payload: { settings },
  });
  if (res.statusCode !== 201) throw new Error(`rules: ${res.body}`);
}

let keySeq = 0;
/** A SKU's stock as stored now. */
export const stockOf = async (t: TestApp, skuId: number) =>
  (
    await t.deps.db
      .selectFrom('skus')
      .select('stock')
      .where('id', '=', skuId)
      .executeTakeFirstOrThrow()
  ).stock;

export const idemKey = () => `test-key-${process.pid}-${++keySeq}`;

export async function placeOrder(
  c: Caller,
  body: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  return c.request({
    method: 'POST',
    url: '/api/v1/orders',
    headers: { 'idempotency-key': idemKey() },
    payload: body,
  });
}

/** Starts a sandbox payment and returns the signed notification the sandbox would send. */
export async function sandboxNotification(t: TestApp, c: Caller, orderId: number) {
  const res = await c.request({
    method: 'POST',
    url: `/api/v1/orders/${orderId}/pay`,
    payload: { provider: 'sandbox' },
  });
  if (res.statusCode !== 200) throw new Error(`pay: ${res.statusCode} ${res.body}`);
  const started = res.json() as {
    outTradeNo: string;
    amountFen: number;
    action: { kind: 'redirect'; url: string };
  };
  const sandbox = sandboxOf(t.deps)!;
  const url = new URL(started.action.url, 'http://x');
  const link = sandbox.readPayLink(started.outTradeNo, Object.fromEntries(url.searchParams))!;
  return { started, notification: sandbox.confirmPayment(link) };
}

export function deliver(
  t: TestApp,
  n: { rawBody: string; headers: Record<string, string> },
  provider = 'sandbox',
) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/payments/${provider}/notify`,
    headers: n.headers,
    payload: n.rawBody,
  });
}

/** Place + pay through the sandbox notification; returns the order id. */
export async function buyAndPay(
  t: TestApp,
  c: Caller,
  body: Record<string, unknown>,
): Promise<number> {
  const placed = await placeOrder(c, body);
  if (placed.statusCode !== 201) throw new Error(`place: ${placed.body}`);
  const order = placed.json() as { id: number; state: string };
  if (order.state === 'paid') return order.id;
  const { notification } = await sandboxNotification(t, c, order.id);
  const ack = await deliver(t, notification);
  if (ack.statusCode !== 204) throw new Error(`notify: ${ack.statusCode} ${ack.body}`);
  return order.id;
}

/** Staff ship the order, then the buyer confirms receipt (the after-sale window starts). */
export async function shipAndComplete(staff: Caller, c: Caller, orderId: number): Promise<void> {
  const shipped = await staff.request({
    method: 'POST',
    url: `/api/v1/admin/orders/${orderId}/ship`,
    payload: { carrier: 'SF', trackingNo: `SF${orderId}` },
  });
  if (shipped.statusCode !== 200) throw new Error(`ship: ${shipped.statusCode} ${shipped.body}`);
  const done = await c.request({ method: 'POST', url: `/api/v1/orders/${orderId}/complete` });
  if (done.statusCode !== 200) throw new Error(`complete: ${done.statusCode} ${done.body}`);
}

/** The buyer asks a refund of every line, staff approve it, and the jobs it starts run. */
export async function refundWhole(
  t: TestApp,
  staff: Caller,
  c: Caller,
  orderId: number,
): Promise<void> {
  const order = (await c.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })).json() as {
    lines: { id: number; qty: number }[];
  };
  const asked = await c.request({
    method: 'POST',
    url: `/api/v1/orders/${orderId}/after-sales`,
    headers: { 'idempotency-key': idemKey() },
    payload: {
      kind: 'refund',
      reason: 'changed my mind',
      lines: order.lines.map((l) => ({ lineId: l.id, qty: l.qty })),
    },
  });
  if (asked.statusCode !== 201) throw new Error(`after-sale: ${asked.statusCode} ${asked.body}`);
  const approved = await staff.request({
    method: 'POST',
    url: `/api/v1/admin/after-sales/${(asked.json() as { id: number }).id}/approve`,
    headers: { 'idempotency-key': idemKey() },
    payload: {},
  });
  if (approved.statusCode >= 300)
    throw new Error(`approve: ${approved.statusCode} ${approved.body}`);
  await t.jobs.runDue(10_000);
}
