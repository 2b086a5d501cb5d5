import { balanceOf, createLedger, verifyLedger } from '../ledger/ledger.ts';
import { USER } from '../ledger/rewards.ts';
import { pctOfFen } from '../money/money.ts';
import { createRng } from '../time/rng.ts';
import { localDayKey, nextBoundary } from '../time/zone.ts';
import { applyEvent, clearQueues, expireLot, settleOrder } from './events.ts';
import { JobQueue } from './jobs.ts';
import { fundPool } from './queue-flow.ts';
import { parseScenario, type Scenario, type ScenarioFieldError } from './scenario.ts';
import { ScenarioError, type Sim } from './state.ts';

/** The outcome printed by `fanli simulate` (docs/models/simulator.md). */
export interface SimulationResult {
  users: Record<
    string,
    {
      cashAvailableFen: number;
      cashPendingFen: number;
      pointsAvailable: number;
      pointsPending: number;
      vouchers: number;
    }
  >;
  queues: {
    id: string;
    entries: {
      order: string;
      user: string;
      entitlementFen: number;
      receivedFen: number;
      status: string;
    }[];
  }[];
  merchant: { revenueFen: number; rewardsPaidFen: number; outstandingEntitlementFen: number };
  ledger: { balanced: boolean; transfers: number };
  /** Extension: each user's member level and growth value at the end (docs/models/members.md). */
  members: Record<string, { level: string | null; growth: number }>;
}

export type SimulateOutcome =
  { ok: true; result: SimulationResult } | { ok: false; errors: ScenarioFieldError[] };

function createSim(scenario: Scenario): Sim {
  return {
    scenario,
    settings: scenario.settings,
    tz: scenario.timezone,
    rng: createRng(scenario.seed),
    ledger: createLedger(),
    jobs: new JobQueue(),
    nowMs: scenario.events[0]?.atMs ?? 0,
    seq: 0,
    revenueFen: 0,
    users: new Map(),
    orders: new Map(),
    rewards: new Map(),
    rewardsByOrder: new Map(),
    books: new Map(),
    entries: new Map(),
    entriesByOrder: new Map(),
    entryMeta: new Map(),
    limitCounts: new Map(),
    randomGroups: new Map(),
    lotCounter: 0,
    referralBudget: { spentFen: 0 },
  };
}

/** Net profit of the local day `dayKey` for the profit pool (工会排队). */
function dayProfitFen(sim: Sim, dayKey: string): number {
  let profit = 0;
  for (const o of sim.orders.values()) {
    if (o.paidAtMs === null || o.status === 'refunded' || o.status === 'cancelled') continue;
    if (localDayKey(o.paidAtMs, sim.tz) !== dayKey) continue;
    profit += o.paidFen - o.costFen;
    for (const id of [`com1:${o.id}`, `com2:${o.id}`, `comS:${o.id}`, `cb:${o.id}`]) {
      const r = sim.rewards.get(id);
      if (!r || r.state === 'voided') continue;
      profit -= r.asset === 'points' ? r.amount * sim.settings.points.fenPerPoint : r.amount;
    }
  }
  return Math.max(0, profit);
}

function runJobsUntil(sim: Sim, untilMs: number): void {
  for (;;) {
    const due = sim.jobs.popDue(untilMs);
    if (!due) return;
    sim.nowMs = due.atMs;
    const job = due.job;
    switch (job.kind) {
      case 'settle':
        settleOrder(sim, job.orderId);
        break;
      case 'expireLot':
        expireLot(sim, job.userId, job.lotId);
        break;
      case 'clearing': {
        clearQueues(sim);
        const every = sim.settings.queueRebate.clearing;
        if (every) sim.jobs.schedule(nextBoundary(due.atMs, every, sim.tz), { kind: 'clearing' });
        break;
      }
      case 'poolDay': {
        const pool = sim.settings.queueRebate.pool;
        if (pool) {
          const day = localDayKey(due.atMs - 1, sim.tz);
          fundPool(sim, day, pctOfFen(dayProfitFen(sim, day), pool.poolPct));
        }
        sim.jobs.schedule(nextBoundary(due.atMs, 'daily', sim.tz), { kind: 'poolDay' });
        break;
      }
    }
  }
}

export function buildResult(sim: Sim): SimulationResult {
  const users: SimulationResult['users'] = {};
  const members: SimulationResult['members'] = {};
  for (const [id, user] of sim.users) {
    members[id] = { level: user.level, growth: user.growth };
    const cash = balanceOf(sim.ledger, USER(id, 'cash'));
    const points = balanceOf(sim.ledger, USER(id, 'points'));
    const voucher = balanceOf(sim.ledger, USER(id, 'voucher'));
    users[id] = {
      cashAvailableFen: cash.available,
      cashPendingFen: cash.pending,
      pointsAvailable: points.available,
      pointsPending: points.pending,
      vouchers: voucher.available + voucher.pending,
    };
  }
  let outstanding = 0;
  const queues: SimulationResult['queues'] = [];
  for (const book of sim.books.values()) {
    queues.push({
      id: book.id,
      entries: book.entries.map((e) => {
        if (e.status === 'waiting') outstanding += e.entitlementFen - e.receivedFen;
        return {
          order: e.orderId,
          user: e.userId,
          entitlementFen: e.entitlementFen,
          receivedFen: e.receivedFen,
          status: e.status,
        };
      }),
    });
  }
  let rewardsPaidFen = 0;
  for (const r of sim.rewards.values())
    if (r.asset === 'cash' && r.state !== 'voided') rewardsPaidFen += r.amount;
  const check = verifyLedger(sim.ledger);
  return {
    users,
    queues,
    merchant: {
      revenueFen: sim.revenueFen,
      rewardsPaidFen,
      outstandingEntitlementFen: outstanding,
    },
    ledger: { balanced: check.balanced, transfers: sim.ledger.transfers.length },
    members,
  };
}

/**
 * Replay a scenario (docs/models/simulator.md) through the rule engine and the in-memory ledger: events
 * in time order, due jobs (after-sale windows, clearing, points expiry, pool days) in
 * time order as time passes, randomness from `seed`. Problems come back as values with
 * the field named.
 *
 * @example
 * simulate({ settings: {}, products: [{ id: 'P1', priceFen: 16800 }], events: [
 *   { at: '2026-01-01T10:00:00+08:00', type: 'order', order: 'o1', user: 'A', lines: [{ product: 'P1', qty: 1 }] },
 *   { at: '2026-01-01T10:01:00+08:00', type: 'pay', order: 'o1' }] })
 * // { ok: true, result: { queues: [{ id: 'product:P1', entries: [{ order: 'o1', entitlementFen: 21840, ... }] }], ... } }
 */
export function simulate(input: unknown): SimulateOutcome {
  const parsed = parseScenario(input);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, result: buildResult(runScenario(parsed.value)) };
  } catch (e) {
    if (e instanceof ScenarioError)
      return { ok: false, errors: [{ path: e.path, message: e.message }] };
    throw e;
  }
}

/**
 * Run a parsed scenario and return the simulator's full state (for tests and tools that
 * need more than the printed result). Throws ScenarioError for an impossible event.
 */
export function runScenario(scenario: Scenario): Sim {
  const sim = createSim(scenario);
  const first = scenario.events[0];
  if (first) {
    const q = scenario.settings.queueRebate;
    if (q.enabled && q.clearing)
      sim.jobs.schedule(nextBoundary(first.atMs, q.clearing, sim.tz), { kind: 'clearing' });
    if (q.enabled && q.pool)
      sim.jobs.schedule(nextBoundary(first.atMs, 'daily', sim.tz), { kind: 'poolDay' });
  }
  for (const ev of scenario.events) {
    runJobsUntil(sim, ev.atMs);
    sim.nowMs = ev.atMs;
    applyEvent(sim, ev);
    runJobsUntil(sim, ev.atMs);
  }
  return sim;
}
