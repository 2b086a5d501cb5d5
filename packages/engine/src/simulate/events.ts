import { balanceOf } from '../ledger/ledger.ts';
import { windowEndsAtMs } from '../after-sale/window.ts';
import { MERCHANT, USER } from '../ledger/rewards.ts';
import { cashbackGrants } from '../cashback/cashback.ts';
import { consumeOldestFirst } from '../cashback/points-lots.ts';
import { commissionGrants } from '../commission/commission.ts';
import { growthOfOrder, levelBenefits, raisedLevel } from '../members/members.ts';
import { prorateFen } from '../money/money.ts';
import { priceOrder } from '../pricing/pricing.ts';
import { firstQualifyingOwnOrder, onFriendOrderSettled } from '../referral/referral.ts';
import { addLot, applyOps, grantRewards, postReward, voidReward, isSettled } from './rewards.ts';
import {
  cancelEntries,
  clearQueues,
  drawLottery,
  exchangeEntries,
  queueOnCompleted,
  queueOnPaid,
  voidQueuePayouts,
} from './queue-flow.ts';
import { ScenarioError, type Sim, type SimOrder, type SimUser } from './state.ts';
import type { ScenarioEvent } from './scenario.ts';

const GATEWAY = { ownerType: 'gateway' as const, ownerId: 'sandbox', asset: 'cash' as const };

function newUser(sim: Sim, id: string, referrerId: string | null): SimUser {
  const user: SimUser = {
    id,
    referrerId,
    registeredAtMs: sim.nowMs,
    level: null,
    growth: 0,
    referral: {
      referrerId: id,
      countedFriends: [],
      group: [],
      rewardsEarned: 0,
    },
    lots: [],
    orders: [],
  };
  sim.users.set(id, user);
  return user;
}

/** Users who appear without a `register` event are registered then, with no referrer. */
function ensureUser(sim: Sim, id: string): SimUser {
  return sim.users.get(id) ?? newUser(sim, id, null);
}

function orderOf(sim: Sim, ev: { index: number; order: string }): SimOrder {
  const o = sim.orders.get(ev.order);
  if (!o)
    throw new ScenarioError(
      `events[${ev.index}].order`,
      `unknown order "${ev.order}" (no earlier "order" event)`,
    );
  return o;
}

function badState(ev: { index: number; type: string }, order: SimOrder): never {
  throw new ScenarioError(
    `events[${ev.index}].order`,
    `cannot ${ev.type} order "${order.id}" in state ${order.status}`,
  );
}

export function applyEvent(sim: Sim, ev: ScenarioEvent): void {
  switch (ev.type) {
    case 'register': {
      if (sim.users.has(ev.user))
        throw new ScenarioError(
          `events[${ev.index}].user`,
          `user "${ev.user}" is already registered`,
        );
      if (ev.referrer !== null && !sim.users.has(ev.referrer)) {
        throw new ScenarioError(
          `events[${ev.index}].referrer`,
          `unknown user "${ev.referrer}" (register the referrer first)`,
        );
      }
      newUser(sim, ev.user, ev.referrer);
      return;
    }
    case 'setLevel':
      ensureUser(sim, ev.user).level = ev.level;
      return;
    case 'order':
      return placeOrder(sim, ev);
    case 'pay': {
      const o = orderOf(sim, ev);
      if (o.status !== 'pending_payment') badState(ev, o);
      return payOrder(sim, o);
    }
    case 'ship': {
      const o = orderOf(sim, ev);
      if (o.status !== 'paid') badState(ev, o);
      // an open after-sale request stops the parcel (docs/commerce.md, Ship)
      if (o.afterSaleOpen) {
        throw new ScenarioError(
          `events[${ev.index}].order`,
          `cannot ship order "${o.id}" while its after-sale request is open`,
        );
      }
      o.status = 'shipped';
      return;
    }
    case 'complete': {
      const o = orderOf(sim, ev);
      if (o.status !== 'paid' && o.status !== 'shipped') badState(ev, o);
      o.status = 'completed';
      o.completedAtMs = sim.nowMs;
      sim.jobs.schedule(windowEndsAtMs(sim.nowMs, sim.settings.settleAfterDays), {
        kind: 'settle',
        orderId: o.id,
      });
      queueOnCompleted(sim, o);
      return;
    }
    case 'refund': {
      const o = orderOf(sim, ev);
      if (o.status === 'pending_payment') {
        o.status = 'cancelled';
        return;
      }
      if (o.status === 'refunded' || o.status === 'cancelled') badState(ev, o);
      // approves the open request, if any: it was asked for when it was opened
      o.afterSaleOpen = false;
      return refundOrder(sim, o);
    }
    case 'requestRefund': {
      const o = orderOf(sim, ev);
      if (o.afterSaleOpen) {
        throw new ScenarioError(
          `events[${ev.index}].order`,
          `order "${o.id}" already has an open after-sale request`,
        );
      }
      if (o.status !== 'paid' && o.status !== 'shipped' && o.status !== 'completed')
        badState(ev, o);
      o.afterSaleOpen = true;
      return;
    }
    case 'rejectRefund': {
      const o = orderOf(sim, ev);
      if (!o.afterSaleOpen) {
        throw new ScenarioError(
          `events[${ev.index}].order`,
          `order "${o.id}" has no open after-sale request`,
        );
      }
      o.afterSaleOpen = false;
      // a window that ended while the request was open ends now
      const endsAtMs =
        o.completedAtMs === null
          ? null
          : windowEndsAtMs(o.completedAtMs, sim.settings.settleAfterDays);
      if (endsAtMs !== null && endsAtMs <= sim.nowMs) settleOrder(sim, o.id);
      return;
    }
    case 'lottery': {
      const o = orderOf(sim, ev);
      drawLottery(sim, o);
      return;
    }
    case 'exchange': {
      const o = orderOf(sim, ev);
      exchangeEntries(sim, o, ev.to);
      return;
    }
    case 'withdraw': {
      ensureUser(sim, ev.user);
      const key = USER(ev.user, 'cash');
      // Only available cash can be withdrawn; a larger request is refused (no effect).
      if (balanceOf(sim.ledger, key).available < ev.amountFen) return;
      applyOps(sim, [
        {
          op: 'transfer',
          id: `wd:${ev.index}`,
          debit: key,
          credit: GATEWAY,
          amount: ev.amountFen,
          reason: 'withdrawal',
          source: { type: 'withdrawal', id: String(ev.index) },
        },
      ]);
      return;
    }
    case 'tick':
      return;
  }
}

function placeOrder(sim: Sim, ev: Extract<ScenarioEvent, { type: 'order' }>): void {
  if (sim.orders.has(ev.order))
    throw new ScenarioError(`events[${ev.index}].order`, `order "${ev.order}" already exists`);
  const user = ensureUser(sim, ev.user);
  const lines = ev.lines.map((l) => {
    const p = sim.scenario.products.get(l.product);
    return {
      product: l.product,
      qty: l.qty,
      grossFen: (p?.priceFen ?? 0) * l.qty,
      paidFen: 0,
      costFen: (p?.costFen ?? 0) * l.qty,
    };
  });
  const amountOnly = lines.length === 0;
  const grossFen = amountOnly
    ? (ev.amountFen ?? 0)
    : (ev.amountFen ?? lines.reduce((s, l) => s + l.grossFen, 0));
  // Priced by priceOrder, the pipeline checkout uses: member discount, then the points
  // the event names. A total that overrides the lines is spread over them by their price
  // first; an amount-only till payment is what the cashier asked for: no member discount.
  const fenPerPoint = sim.settings.points.fenPerPoint;
  const lineAmountsFen = amountOnly
    ? [grossFen]
    : prorateFen(
        grossFen,
        lines.map((l) => l.grossFen),
      );
  const priced = priceOrder({
    lines: lineAmountsFen.map((amountFen, i) => ({ skuId: i, unitPriceFen: amountFen, qty: 1 })),
    memberDiscountPct: amountOnly ? 0 : levelBenefits(sim.settings.members, user.level).discountPct,
    coupon: null,
    points: {
      enabled: true,
      fenPerPoint,
      maxSharePct: 100,
      available: ev.pointsUsed,
      maxPoints: ev.pointsUsed,
    },
    balance: null,
  });
  const memberFen = priced.memberDiscountFen;
  if (priced.pointsUsed < ev.pointsUsed) {
    throw new ScenarioError(
      `events[${ev.index}].pointsUsed`,
      `points worth ${ev.pointsUsed * fenPerPoint} fen exceed the order amount ${grossFen - memberFen}`,
    );
  }
  const paidFen = priced.payableFen;
  if (!amountOnly) lines.forEach((l, i) => (l.paidFen = priced.lines[i]?.paidFen ?? 0));
  const order: SimOrder = {
    id: ev.order,
    userId: user.id,
    placedAtMs: sim.nowMs,
    level: user.level,
    lines,
    amountOnly,
    store: ev.store,
    cashier: ev.cashier,
    pointsUsed: ev.pointsUsed,
    grossFen,
    memberDiscountFen: memberFen,
    paidFen,
    costFen: ev.costFen ?? lines.reduce((s, l) => s + l.costFen, 0),
    status: 'pending_payment',
    paidAtMs: null,
    completedAtMs: null,
    settled: false,
    afterSaleOpen: false,
    paySeq: 0,
    contributions: [],
    pointsTaken: [],
  };
  sim.orders.set(order.id, order);
  user.orders.push(order);
}

function payOrder(sim: Sim, o: SimOrder): void {
  o.status = 'paid';
  o.paidAtMs = sim.nowMs;
  o.paySeq = ++sim.seq;
  if (o.pointsUsed > 0) takePoints(sim, o);
  if (o.paidFen > 0) {
    applyOps(sim, [
      {
        op: 'transfer',
        id: `pay:${o.id}`,
        debit: GATEWAY,
        credit: MERCHANT('cash'),
        amount: o.paidFen,
        reason: 'order.payment',
        source: { type: 'order', id: o.id },
      },
    ]);
  }
  sim.revenueFen += o.paidFen;
  queueOnPaid(sim, o);
  const buyer = sim.users.get(o.userId);
  const level1 = buyer?.referrerId ?? null;
  const level2 = level1 ? (sim.users.get(level1)?.referrerId ?? null) : null;
  const store = o.store !== null ? sim.scenario.stores.get(o.store) : undefined;
  const members = sim.settings.members;
  // the referrer's level when the commission is born (now); the buyer's when the order was placed
  const referrerLevel = level1 ? (sim.users.get(level1)?.level ?? null) : null;
  grantRewards(sim, [
    ...commissionGrants(
      {
        orderId: o.id,
        paidFen: o.paidFen,
        buyerId: o.userId,
        level1,
        level2,
        level1LevelPct: levelBenefits(members, referrerLevel).commissionPct,
        store: store
          ? {
              id: store.id,
              recruiterId: store.recruiter,
              platformCommissionPct: store.commissionPct,
            }
          : null,
      },
      sim.settings.commission,
    ),
    ...cashbackGrants(
      {
        orderId: o.id,
        userId: o.userId,
        paidFen: o.paidFen,
        pointsMultiplier: levelBenefits(members, o.level).pointsMultiplier,
      },
      sim.settings.cashback,
    ),
  ]);
}

/**
 * Points spent at checkout leave the shopper's lots oldest first. A scenario may spend
 * points the shopper never earned inside it: the shortfall is first credited as an
 * opening balance, so no user account ever goes negative.
 */
function takePoints(sim: Sim, o: SimOrder): void {
  const user = sim.users.get(o.userId);
  if (!user) return;
  const key = USER(o.userId, 'points');
  const available = balanceOf(sim.ledger, key).available;
  if (available < o.pointsUsed) {
    const shortfall = o.pointsUsed - available;
    applyOps(sim, [
      {
        op: 'transfer',
        id: `open:${o.id}`,
        debit: MERCHANT('points'),
        credit: key,
        amount: shortfall,
        reason: 'points.opening_balance',
        source: { type: 'order', id: o.id },
      },
    ]);
    addLot(sim, o.userId, shortfall, null);
  }
  o.pointsTaken = consumeOldestFirst(user.lots, o.pointsUsed);
  applyOps(sim, [
    {
      op: 'transfer',
      id: `pd:${o.id}`,
      debit: key,
      credit: MERCHANT('points'),
      amount: o.pointsUsed,
      reason: 'order.points_deduction',
      source: { type: 'order', id: o.id },
    },
  ]);
}

/**
 * A full refund. Every reward still pending that depends on the order is cancelled,
 * whenever the refund comes (before or after the order's own window): a reward is kept
 * only once it is available.
 */
function refundOrder(sim: Sim, o: SimOrder): void {
  o.status = 'refunded';
  if (o.paidFen > 0) {
    applyOps(sim, [
      {
        op: 'transfer',
        id: `refund:${o.id}`,
        debit: MERCHANT('cash'),
        credit: GATEWAY,
        amount: o.paidFen,
        reason: 'order.refund',
        source: { type: 'order', id: o.id },
      },
    ]);
  }
  sim.revenueFen -= o.paidFen;
  if (o.pointsUsed > 0) {
    applyOps(sim, [
      {
        op: 'transfer',
        id: `pdr:${o.id}`,
        debit: MERCHANT('points'),
        credit: USER(o.userId, 'points'),
        amount: o.pointsUsed,
        reason: 'order.points_deduction_refund',
        source: { type: 'order', id: o.id },
      },
    ]);
    addLot(sim, o.userId, o.pointsUsed);
  }
  cancelEntries(sim, o);
  const pending = (sim.rewardsByOrder.get(o.id) ?? []).filter((r) => r.state === 'pending');
  sim.rewardsByOrder.delete(o.id);
  voidQueuePayouts(
    sim,
    pending.filter((r) => r.kind === 'queue'),
    `refund:${o.id}`,
  );
  for (const r of pending) if (r.kind !== 'queue') voidReward(sim, r);
}

/**
 * Job: an order's after-sale window ended. Its rewards may become available; referrals
 * count. An open after-sale request holds the window: the order settles when the request
 * is rejected (or withdrawn), never while it is open.
 */
export function settleOrder(sim: Sim, orderId: string): void {
  const o = sim.orders.get(orderId);
  if (!o || o.status !== 'completed' || o.settled || o.afterSaleOpen) return;
  o.settled = true;
  const waiting = sim.rewardsByOrder.get(orderId) ?? [];
  for (const r of waiting) {
    if (r.state === 'pending' && r.deps.every((d) => isSettled(sim, d))) postReward(sim, r);
  }
  // what is left still waits for another order; a refund of this one would cancel it
  const still = waiting.filter((r) => r.state === 'pending');
  if (still.length > 0) sim.rewardsByOrder.set(orderId, still);
  else sim.rewardsByOrder.delete(orderId);
  const friend = sim.users.get(o.userId);
  if (friend) {
    // growth value: only a settled order earns it, so buy-upgrade-refund cannot
    friend.growth += growthOfOrder(o.paidFen, sim.settings.members);
    friend.level = raisedLevel(friend.level, friend.growth, sim.settings.members);
  }
  const referrer = friend?.referrerId ? sim.users.get(friend.referrerId) : undefined;
  if (!friend || !referrer) return;
  const r = sim.settings.referral;
  const own = firstQualifyingOwnOrder(
    referrer.orders
      .filter(
        (x) =>
          x.status !== 'pending_payment' && x.status !== 'refunded' && x.status !== 'cancelled',
      )
      .map((x) => ({
        orderId: x.id,
        paidFen: x.paidFen,
        productIds: x.lines.map((l) => l.product),
      })),
    r,
  );
  const { grant } = onFriendOrderSettled(
    referrer.referral,
    {
      orderId: o.id,
      friendId: friend.id,
      friendRegisteredAtMs: friend.registeredAtMs,
      placedAtMs: o.placedAtMs,
      paidFen: o.paidFen,
      productIds: o.lines.map((l) => l.product),
    },
    own,
    sim.settings,
    sim.referralBudget,
  );
  if (grant) grantRewards(sim, [grant]);
}

export function expireLot(sim: Sim, userId: string, lotId: string): void {
  const user = sim.users.get(userId);
  const lot = user?.lots.find((l) => l.id === lotId);
  if (!user || !lot || lot.remaining <= 0) return;
  const amount = Math.min(lot.remaining, balanceOf(sim.ledger, USER(userId, 'points')).available);
  lot.remaining = 0;
  if (amount <= 0) return;
  applyOps(sim, [
    {
      op: 'transfer',
      id: `exp:${userId}:${lotId}`,
      debit: USER(userId, 'points'),
      credit: MERCHANT('points'),
      amount,
      reason: 'points.expiry',
      source: { type: 'points_lot', id: lotId },
    },
  ]);
}

export { clearQueues };
