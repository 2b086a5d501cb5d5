/**
 * Property tests over random scenarios: the ledger balances, no entry receives more than
 * its entitlement, fifo pays in queue order, and nothing becomes available before every
 * order it depends on has passed its after-sale window.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growthOfOrder, levelForGrowth } from '../members/members.ts';
import { parseScenario } from './scenario.ts';
import { buildResult, runScenario } from './run.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T08:00:00+08:00');

const settingsArb = fc.record({
  settleAfterDays: fc.integer({ min: 0, max: 3 }),
  referral: fc.record({ enabled: fc.boolean(), everyN: fc.integer({ min: 1, max: 3 }) }),
  commission: fc.record({
    enabled: fc.boolean(),
    depth: fc.constantFrom(1, 2),
    level2Pct: fc.constantFrom(0, 5),
  }),
  cashback: fc.record({
    enabled: fc.boolean(),
    form: fc.constantFrom('points', 'cash'),
    pct: fc.constantFrom(0, 3),
  }),
  queueRebate: fc.record({
    queue: fc.constantFrom('mall', 'product'),
    settleOn: fc.constantFrom('paid', 'completed'),
    order: fc.constantFrom('fifo', 'completedFirst'),
    extractPct: fc.constantFrom(10, 33.33, 65, 100),
    entitlementPct: fc.constantFrom(50, 100, 130, 200),
  }),
  members: fc.record({
    enabled: fc.boolean(),
    growthPerYuan: fc.constantFrom(0.5, 1, 3.3),
    levels: fc.constant([
      { id: 'silver', name: 'S', minGrowth: 150, discountPct: 5, pointsMultiplier: 1.5 },
      {
        id: 'gold',
        name: 'G',
        minGrowth: 600,
        discountPct: 12.5,
        pointsMultiplier: 3,
        commissionPct: 20,
      },
    ]),
  }),
});

const opArb = fc.record({
  kind: fc.constantFrom(
    'buy',
    'buy',
    'buy',
    'complete',
    'complete',
    'refund',
    'request',
    'reject',
    'withdraw',
    'tick',
  ),
  who: fc.nat(5),
  pick: fc.nat(100),
  product: fc.constantFrom('P1', 'P2'),
  qty: fc.integer({ min: 1, max: 3 }),
  gapHours: fc.integer({ min: 0, max: 60 }),
});

type OpT = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

function buildScenario(settings: unknown, ops: OpT[], allowRefunds: boolean) {
  let t = T0;
  const iso = (ms: number) => new Date(ms).toISOString();
  const events: Record<string, unknown>[] = [];
  for (let u = 0; u < 6; u++) {
    events.push({
      at: iso(t),
      type: 'register',
      user: `U${u}`,
      ...(u > 0 && u % 2 === 0 ? { referrer: `U${u - 1}` } : {}),
    });
  }
  // `asked`: an after-sale request is open (it holds the order's window)
  const orders: { id: string; state: 'paid' | 'completed' | 'refunded'; asked?: boolean }[] = [];
  let n = 0;
  for (const op of ops) {
    t += op.gapHours * 3_600_000 + 60_000;
    if (op.kind === 'buy') {
      const id = `o${n++}`;
      events.push({
        at: iso(t),
        type: 'order',
        order: id,
        user: `U${op.who}`,
        lines: [{ product: op.product, qty: op.qty }],
      });
      events.push({ at: iso(t + 1000), type: 'pay', order: id });
      orders.push({ id, state: 'paid' });
    } else if (op.kind === 'complete') {
      const open = orders.filter((o) => o.state === 'paid');
      const o = open[op.pick % Math.max(1, open.length)];
      if (o) {
        events.push({ at: iso(t), type: 'complete', order: o.id });
        o.state = 'completed';
      }
    } else if (op.kind === 'refund' && allowRefunds) {
      const open = orders.filter((o) => o.state !== 'refunded');
      const o = open[op.pick % Math.max(1, open.length)];
      if (o) {
        events.push({ at: iso(t), type: 'refund', order: o.id });
        o.state = 'refunded';
        o.asked = false;
      }
    } else if (op.kind === 'request' && allowRefunds) {
      const open = orders.filter((o) => o.state !== 'refunded' && !o.asked);
      const o = open[op.pick % Math.max(1, open.length)];
      if (o) {
        events.push({ at: iso(t), type: 'requestRefund', order: o.id });
        o.asked = true;
      }
    } else if (op.kind === 'reject') {
      const open = orders.filter((o) => o.asked);
      const o = open[op.pick % Math.max(1, open.length)];
      if (o) {
        events.push({ at: iso(t), type: 'rejectRefund', order: o.id });
        o.asked = false;
      }
    } else if (op.kind === 'withdraw') {
      events.push({
        at: iso(t),
        type: 'withdraw',
        user: `U${op.who}`,
        amountFen: 1 + op.pick * 100,
      });
    } else {
      events.push({ at: iso(t), type: 'tick' });
    }
  }
  events.push({ at: iso(t + 10 * DAY), type: 'tick' });
  const parsed = parseScenario({
    seed: 3,
    settings,
    products: [
      { id: 'P1', priceFen: 16800, costFen: 12000 },
      { id: 'P2', priceFen: 9999, costFen: 5000 },
    ],
    events,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

describe('random scenarios', () => {
  it('keep the ledger balanced and never overfill an entry', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(opArb, { maxLength: 40 }), (settings, ops) => {
        const sim = runScenario(buildScenario(settings, ops, true));
        const result = buildResult(sim);
        expect(result.ledger.balanced).toBe(true);
        for (const q of result.queues) {
          for (const e of q.entries) {
            expect(e.receivedFen).toBeGreaterThanOrEqual(0);
            expect(e.receivedFen).toBeLessThanOrEqual(e.entitlementFen);
            if (e.status === 'done') expect(e.receivedFen).toBe(e.entitlementFen);
          }
        }
        for (const u of Object.values(result.users)) {
          expect(u.cashAvailableFen).toBeGreaterThanOrEqual(0);
          expect(u.pointsAvailable).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never make a reward available before every order it depends on passed its window', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(opArb, { maxLength: 40 }), (settings, ops) => {
        const scenario = buildScenario(settings, ops, true);
        const sim = runScenario(scenario);
        const windowMs = scenario.settings.settleAfterDays * DAY;
        for (const t of sim.ledger.transfers) {
          if (t.kind !== 'post' || !t.pendingId) continue;
          const reward = sim.rewards.get(t.pendingId);
          expect(reward).toBeDefined();
          for (const dep of reward?.deps ?? []) {
            const o = sim.orders.get(dep);
            expect(o?.completedAtMs).not.toBeNull();
            expect((o?.completedAtMs ?? Infinity) + windowMs).toBeLessThanOrEqual(t.atMs);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('growth is the sum over settled orders only, and the level is the highest it reached', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(opArb, { maxLength: 40 }), (settings, ops) => {
        const scenario = buildScenario(settings, ops, true);
        const sim = runScenario(scenario);
        const members = scenario.settings.members;
        for (const user of sim.users.values()) {
          const settled = user.orders.filter((o) => o.settled);
          const growth = settled.reduce((g, o) => g + growthOfOrder(o.paidFen, members), 0);
          expect(user.growth).toBe(growth);
          // no setLevel here: levels only rise from none, so the last is the highest reached
          expect(user.level).toBe(levelForGrowth(members.levels, growth)?.id ?? null);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('fifo without refunds pays strictly in queue order (no one waits behind someone paid)', () => {
    const fifo = settingsArb.map((s) => ({
      ...s,
      queueRebate: { ...s.queueRebate, order: 'fifo' },
    }));
    fc.assert(
      fc.property(fifo, fc.array(opArb, { maxLength: 40 }), (settings, ops) => {
        const result = buildResult(runScenario(buildScenario(settings, ops, false)));
        for (const q of result.queues) {
          let sawUnfilled = false;
          for (const e of q.entries) {
            if (sawUnfilled) expect(e.receivedFen).toBe(0);
            if (e.receivedFen < e.entitlementFen) sawUnfilled = true;
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
