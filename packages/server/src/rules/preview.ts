import { simulate, type SimulationResult } from '@fanli/engine';
import type { Db } from '../db/database.ts';
import { SHOP_TIMEZONE } from '../config/timezone.ts';

export const PREVIEW_MAX_ORDERS = 20_000;

type Ev = Record<string, unknown> & { at: string; type: string };

/**
 * "Try this rule before launching it": replays the shop's own orders of the last `days`
 * through the real rule engine with the candidate settings and reports what the merchant
 * would owe. Orders are priced at their products' list price (discounts are not
 * replayed, the candidate's member discount is); a refunded order is replayed as refunded
 * in full. Each user starts with the member level of their first order in the window
 * (or their level now) and rises by the candidate's levels as orders settle; growth
 * earned before the window is not known to the replay.
 */
export async function previewRules(db: Db, settings: unknown, days: number, now: Date) {
  const from = new Date(now.getTime() - days * 86_400_000);
  const orders = await db
    .selectFrom('orders')
    .select([
      'id',
      'user_id',
      'store_id',
      'cashier_id',
      'created_at',
      'paid_at',
      'completed_at',
      'refund_status',
      'payable_fen',
      'points_used',
      'member_level',
    ])
    .where('paid_at', 'is not', null)
    .where('paid_at', '>=', from)
    .orderBy('paid_at')
    .limit(PREVIEW_MAX_ORDERS)
    .execute();
  const ids = orders.map((o) => o.id);
  const lines = ids.length
    ? await db
        .selectFrom('order_lines')
        .select(['order_id', 'product_id', 'qty'])
        .where('order_id', 'in', ids)
        .orderBy('id')
        .execute()
    : [];
  // per order: when its first refund was asked for and done, and when a request still open
  // was made (an open request holds the order's window, and the replay must hold it too)
  const refunds = ids.length
    ? await db
        .selectFrom('after_sales')
        .select([
          'order_id',
          (eb) => eb.fn.min('refunded_at').as('at'),
          (eb) =>
            eb.fn
              .min(eb.case().when('refunded_at', 'is not', null).then(eb.ref('created_at')).end())
              .as('asked'),
          (eb) =>
            eb.fn
              .min(
                eb
                  .case()
                  .when('status', 'in', ['pending', 'refunding'])
                  .then(eb.ref('created_at'))
                  .end(),
              )
              .as('open'),
        ])
        .where('order_id', 'in', ids)
        .where((eb) =>
          eb.or([eb('refunded_at', 'is not', null), eb('status', 'in', ['pending', 'refunding'])]),
        )
        .groupBy('order_id')
        .execute()
    : [];
  const date = (v: unknown) => (v ? new Date(v as Date) : null);
  const refundAt = new Map(
    refunds.map((r) => [r.order_id, { at: date(r.at), asked: date(r.asked), open: date(r.open) }]),
  );
  const productIds = [...new Set(lines.map((l) => l.product_id))];
  const products = productIds.length
    ? await db
        .selectFrom('products as p')
        .leftJoin('skus as s', 's.product_id', 'p.id')
        .select(['p.id', 'p.price_fen', (eb) => eb.fn.min('s.cost_fen').as('cost_fen')])
        .where('p.id', 'in', productIds)
        .groupBy(['p.id', 'p.price_fen'])
        .execute()
    : [];

  // buyers and the referrers above them (two levels: commission depth is at most 2)
  const users = new Map<
    number,
    { referrer: number | null; at: Date; memberLevel: string | null }
  >();
  let pending = [...new Set(orders.map((o) => o.user_id))];
  for (let level = 0; level < 3 && pending.length; level++) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'referrer_id', 'created_at', 'member_level'])
      .where('id', 'in', pending)
      .execute();
    for (const u of rows)
      users.set(u.id, {
        referrer: u.referrer_id,
        at: new Date(u.created_at),
        memberLevel: u.member_level,
      });
    pending = rows
      .map((u) => u.referrer_id)
      .filter((r): r is number => r !== null && !users.has(r));
  }

  const iso = (d: Date) => d.toISOString();
  // A user registers no later than their first order, and a referrer no later than the
  // friends they brought; ties put the referrer first.
  const registerAt = new Map<number, number>();
  for (const [id, u] of users) registerAt.set(id, Math.max(from.getTime(), u.at.getTime()));
  for (const o of orders) {
    const t = Math.max(from.getTime(), new Date(o.created_at).getTime());
    registerAt.set(o.user_id, Math.min(registerAt.get(o.user_id) ?? t, t));
  }
  const depth = (id: number): number => {
    let d = 0;
    for (
      let r = users.get(id)?.referrer ?? null;
      r !== null && users.has(r) && d < 10;
      r = users.get(r)?.referrer ?? null
    )
      d++;
    return d;
  };
  for (const id of [...users.keys()].sort((a, b) => depth(b) - depth(a))) {
    const ref = users.get(id)!.referrer;
    if (ref !== null && users.has(ref))
      registerAt.set(ref, Math.min(registerAt.get(ref)!, registerAt.get(id)!));
  }
  // the level each user starts the window with: that of their first order in it (orders
  // are by payment time; the first placed wins), else their level now
  const startLevel = new Map<number, string | null>();
  for (const o of [...orders].sort(
    (a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime(),
  ))
    if (!startLevel.has(o.user_id)) startLevel.set(o.user_id, o.member_level);
  const events: Ev[] = [];
  for (const id of [...users.keys()].sort(
    (a, b) => registerAt.get(a)! - registerAt.get(b)! || depth(a) - depth(b),
  )) {
    const ref = users.get(id)!.referrer;
    const referrer = ref !== null && users.has(ref) ? String(ref) : undefined;
    events.push({
      at: iso(new Date(registerAt.get(id)!)),
      type: 'register',
      user: String(id),
      ...(referrer ? { referrer } : {}),
    });
    const level = startLevel.has(id) ? startLevel.get(id)! : users.get(id)!.memberLevel;
    if (level !== null)
      events.push({
        at: iso(new Date(registerAt.get(id)!)),
        type: 'setLevel',
        user: String(id),
        level,
      });
  }
  const linesBy = new Map<number, { product: string; qty: number }[]>();
  for (const l of lines) {
    const list = linesBy.get(l.order_id) ?? [];
    list.push({ product: String(l.product_id), qty: l.qty });
    linesBy.set(l.order_id, list);
  }
  for (const o of orders) {
    const id = String(o.id);
    const placed = new Date(o.created_at) < from ? from : new Date(o.created_at);
    const orderLines = linesBy.get(o.id) ?? [];
    if (o.cashier_id === null && orderLines.length === 0) continue;
    events.push({
      at: iso(placed),
      type: 'order',
      order: id,
      user: String(o.user_id),
      ...(o.cashier_id !== null
        ? {
            cashier: String(o.cashier_id),
            amountFen: o.payable_fen,
            ...(o.store_id !== null ? { store: String(o.store_id) } : {}),
          }
        : { lines: orderLines }),
      ...(o.cashier_id === null && o.store_id !== null ? { store: String(o.store_id) } : {}),
    });
    events.push({ at: iso(new Date(o.paid_at!)), type: 'pay', order: id });
    if (o.completed_at)
      events.push({ at: iso(new Date(o.completed_at)), type: 'complete', order: id });
    const r = refundAt.get(o.id);
    if (o.refund_status !== 'none') {
      const at = r?.at ?? new Date(o.paid_at!);
      // asked inside the window and approved after it: the request held the window
      if (r?.asked && r.asked < at)
        events.push({ at: iso(r.asked), type: 'requestRefund', order: id });
      events.push({ at: iso(at), type: 'refund', order: id });
    } else if (r?.open) events.push({ at: iso(r.open), type: 'requestRefund', order: id });
  }
  events.push({ at: iso(now), type: 'tick' });
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  const outcome = simulate({
    timezone: SHOP_TIMEZONE,
    seed: 1,
    settings,
    products: products.map((p) => ({
      id: String(p.id),
      priceFen: p.price_fen,
      costFen: Number(p.cost_fen ?? 0),
    })),
    events,
  });
  if (!outcome.ok) return outcome;
  return {
    ok: true as const,
    value: summarize(outcome.result, { from, to: now, orders: orders.length, users: users.size }),
  };
}

function summarize(
  result: SimulationResult,
  window: { from: Date; to: Date; orders: number; users: number },
) {
  const us = Object.values(result.users);
  const entries = result.queues.flatMap((q) => q.entries);
  return {
    window: {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      orders: window.orders,
      users: window.users,
    },
    summary: {
      revenueFen: result.merchant.revenueFen,
      rewardsPaidFen: result.merchant.rewardsPaidFen,
      rewardsPendingFen: us.reduce((s, u) => s + u.cashPendingFen, 0),
      rewardsAvailableFen: us.reduce((s, u) => s + u.cashAvailableFen, 0),
      outstandingEntitlementFen: result.merchant.outstandingEntitlementFen,
      entries: {
        total: entries.length,
        waiting: entries.filter((e) => e.status === 'waiting').length,
        done: entries.filter((e) => e.status === 'done').length,
      },
    },
    result,
  };
}
