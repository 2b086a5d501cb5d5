import { pctHOfFen, pctToHundredths } from '../money/money.ts';
import type { Settings, QueueOverride } from '../settings/types.ts';
import { localMinuteOfDay } from '../time/zone.ts';
import type { Rng } from '../time/rng.ts';
import {
  buildChain,
  inHours,
  lotteryOf,
  pick,
  resolveEntitlementPctH,
  type QueueChain,
} from './entitlement.ts';

/** What the queue rules need to know about a paid order. */
export interface OrderForQueues {
  orderId: string;
  store: string | null;
  cashier: string | null;
  /** A cashier payment: one amount, no product lines. */
  amountOnly: boolean;
  paidFen: number;
  pointsUsed: number;
  placedAtMs: number;
  /** The buyer's member level when the order was placed. */
  level: string | null;
  lines: readonly { product: string; paidFen: number }[];
}

/** What the lottery needs to recompute an entry's entitlement. */
export interface EntryUnit {
  paidFen: number;
  basePctH: number;
  /** The chain resolves at the lottery step or below, so a draw replaces the pct. */
  lotteryApplies: boolean;
  chain: QueueChain;
}

/** An entry an order would create in one queue, before limits and random return. */
export interface EntryDraft {
  units: EntryUnit[];
  entitlementFen: number;
  /** Settings layers that govern the entry itself (limits, random return). */
  chain: QueueChain;
}

/** One queue an order takes part in: its contribution, and the entry it earns (if any). */
export interface QueueGroup {
  queueId: string;
  /** `o7` when the order is one contribution, `o7#n` when its lines go to several queues. */
  contributionId: string;
  contributionFen: number;
  entry: EntryDraft | null;
}

/**
 * Which queue an order unit joins (docs/models/simulator.md): the profit pool; a cashier's or a
 * store's queue (each, or one for all); the mall queue; or the product's own queue.
 */
export function queueIdFor(
  q: Settings['queueRebate'],
  order: Pick<OrderForQueues, 'store' | 'cashier'>,
  product: string | null,
): string {
  if (q.pool) return 'pool';
  if (order.cashier !== null) return q.cashiers === 'all' ? 'cashiers' : `cashier:${order.cashier}`;
  if (order.store !== null) return q.stores === 'all' ? 'stores' : `store:${order.store}`;
  if (q.queue === 'mall' || product === null) return 'mall';
  return `product:${product}`;
}

function locationOverride(
  q: Settings['queueRebate'],
  order: OrderForQueues,
): QueueOverride | undefined {
  if (order.cashier !== null) return q.cashierOverrides[order.cashier];
  if (order.store !== null) return q.storeOverrides[order.store];
  return undefined;
}

interface Unit {
  paidFen: number;
  product: string | null;
  chain: QueueChain;
}

/**
 * The queue side of a paid order, decided once for the simulator and the server alike:
 * the queues it joins, what it contributes to each (paid × extractPct, summed over the
 * unit's lines) and the entry it earns there (paid × entitlement pct by the priority
 * chain), after the deduction switch and the time window. Per-product queues take each
 * line alone; mall, store and cashier queues take the order as one. Limits and random
 * return depend on the queue's history and are applied by the caller.
 *
 * @example
 * planOrderQueues(settings, { orderId: 'o1', store: null, cashier: null, amountOnly: false,
 *   paidFen: 16800, pointsUsed: 0, placedAtMs, level: null, lines: [{ product: 'P1', paidFen: 16800 }] },
 *   { tz: 'Asia/Shanghai', spendFen: () => 0 })
 * // [{ queueId: 'product:P1', contributionId: 'o1', contributionFen: 10920,
 * //    entry: { entitlementFen: 21840, … } }]
 */
export function planOrderQueues(
  settings: Settings,
  order: OrderForQueues,
  ctx: { tz: string; spendFen: (days: number) => number },
): QueueGroup[] {
  const q = settings.queueRebate;
  if (!q.enabled) return [];
  const loc = locationOverride(q, order);
  const units: Unit[] = order.amountOnly
    ? [{ paidFen: order.paidFen, product: null, chain: buildChain(q, loc) }]
    : order.lines.map((l) => ({
        paidFen: l.paidFen,
        product: l.product,
        chain: buildChain(q, q.products[l.product], loc),
      }));

  const groups = new Map<string, Unit[]>();
  let lineNo = 0;
  for (const u of units) {
    if (pick(u.chain, 'enabled') === false) continue;
    const queueId = queueIdFor(q, order, u.product);
    const key = queueId.startsWith('product:') ? `${queueId}\u0000${lineNo++}` : queueId;
    const list = groups.get(key) ?? [];
    list.push(u);
    groups.set(key, list);
  }

  const out: QueueGroup[] = [];
  let n = 0;
  let minute = -1;
  const minuteOfDay = () =>
    minute < 0 ? (minute = localMinuteOfDay(order.placedAtMs, ctx.tz)) : minute;
  for (const [key, group] of groups) {
    const queueId = key.split('\u0000')[0] as string;
    const entryChain = queueId.startsWith('product:')
      ? (group[0] as Unit).chain
      : buildChain(q, loc);
    const entry = draftEntry(settings, order, group, entryChain, ctx, minuteOfDay);
    const contributionFen = q.pool
      ? 0
      : group.reduce(
          (s, u) => s + pctHOfFen(u.paidFen, pctToHundredths(pick(u.chain, 'extractPct') ?? 0)),
          0,
        );
    const contributionId = q.pool
      ? order.orderId
      : groups.size > 1
        ? `${order.orderId}#${n}`
        : order.orderId;
    if (!q.pool) n++;
    out.push({ queueId, contributionId, contributionFen, entry });
  }
  return out;
}

function draftEntry(
  settings: Settings,
  order: OrderForQueues,
  group: Unit[],
  entryChain: QueueChain,
  ctx: { spendFen: (days: number) => number },
  minuteOfDay: () => number,
): EntryDraft | null {
  const q = settings.queueRebate;
  const units: EntryUnit[] = [];
  for (const u of group) {
    // Deduction switch and time window: such units earn no entitlement but still contribute.
    if (order.pointsUsed > 0 && pick(u.chain, 'deduction') === 'exclude') continue;
    const hours = pick(u.chain, 'hours');
    if (hours && !inHours(minuteOfDay(), hours)) continue;
    const resolved = q.pool
      ? { pctH: pctToHundredths(q.pool.entitlementPct), source: 'pct' as const }
      : resolveEntitlementPctH(u.chain, {
          level: order.level,
          spendFen: ctx.spendFen,
          drawnPctH: null,
        });
    units.push({
      paidFen: u.paidFen,
      basePctH: resolved.pctH,
      lotteryApplies: !q.pool && resolved.source === 'pct' && lotteryOf(u.chain) !== null,
      chain: u.chain,
    });
  }
  if (units.length === 0) return null;
  const entitlementFen = units.reduce((s, u) => s + pctHOfFen(u.paidFen, u.basePctH), 0);
  if (entitlementFen <= 0) return null;
  return { units, entitlementFen, chain: entryChain };
}

/**
 * An entry's entitlement after a lottery draw: the drawn pct replaces the fixed pct on
 * the units whose chain resolved at the lottery step.
 */
export function entitlementAfterDraw(units: readonly EntryUnit[], drawnPctH: number): number {
  return units.reduce(
    (s, u) => s + pctHOfFen(u.paidFen, u.lotteryApplies ? drawnPctH : u.basePctH),
    0,
  );
}

/** Spend-tier windows (days) any layer of the settings uses: what a caller must look up. */
export function spendTierDays(settings: Settings): number[] {
  const q = settings.queueRebate;
  const days = new Set<number>();
  const layers = [
    q,
    ...Object.values(q.products),
    ...Object.values(q.storeOverrides),
    ...Object.values(q.cashierOverrides),
  ];
  for (const l of layers) for (const t of (l as QueueOverride).spendTiers ?? []) days.add(t.days);
  return [...days].sort((a, b) => a - b);
}

/**
 * Random return (随机返): a new group of `cash + points` entries; returns the positions in
 * the group whose members are converted to points at once. Seeded: the same RNG state
 * draws the same group.
 */
export function randomReturnSlots(rr: { cash: number; points: number }, rng: Rng): number[] {
  const size = rr.cash + rr.points;
  const slots = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [slots[i], slots[j]] = [slots[j] as number, slots[i] as number];
  }
  return slots.slice(0, rr.points);
}
