import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings/defaults.ts';
import { createRng } from '../time/rng.ts';
import { applyEntryUpdate, candidates, createQueueBook, joinQueue, markCompleted } from './book.ts';
import { buildChain, drawLotteryPctH, inHours, resolveEntitlementPctH } from './entitlement.ts';
import { allocateContribution, planPayoutVoids, planQueueContribution } from './plan.ts';
import { pctOfFen } from '../money/money.ts';

const base = defaultSettings().queueRebate;
const ctx = { level: null, spendFen: () => 0, drawnPctH: null };

describe('the queue-rebate worked examples (pure)', () => {
  it('168.00 × 130 % → 218.40 entitlement; two later orders at 65 % fill it', () => {
    const entitlement = pctOfFen(16800, 130);
    expect(entitlement).toBe(21840);
    const perOrder = pctOfFen(16800, 65);
    expect(perOrder).toBe(10920);
    const book = createQueueBook('product:P1');
    const e1 = joinQueue(book, { orderId: 'o1', userId: 'A', seq: 1, entitlementFen: entitlement });
    for (const [seq, order] of [
      [2, 'o2'],
      [3, 'o3'],
    ] as const) {
      const { plan } = planQueueContribution({
        queueId: book.id,
        contributionId: order,
        contributorOrderId: order,
        amountFen: perOrder,
        paused: false,
        candidates: candidates(book, 'fifo', seq),
      });
      for (const op of plan.ops) if (op.op === 'entry.update') applyEntryUpdate(book, e1, op);
    }
    expect(e1.receivedFen).toBe(21840);
    expect(e1.status).toBe('done');
  });

  it('100.00 × 10 % → each later 100.00 order pays 10.00 to the head', () => {
    const r = allocateContribution(pctOfFen(10000, 10), [
      { entryKey: 'a', userId: 'A', orderId: 'o1', needFen: 10000 },
      { entryKey: 'b', userId: 'B', orderId: 'o2', needFen: 10000 },
    ]);
    expect(r.allocations.map((a) => [a.candidate.entryKey, a.amountFen])).toEqual([['a', 1000]]);
  });
});

describe('allocation and plans', () => {
  it('fills the first entry up to its need and lets the rest flow on', () => {
    const r = allocateContribution(500, [
      { entryKey: 'a', userId: 'A', orderId: 'o1', needFen: 120 },
      { entryKey: 'b', userId: 'B', orderId: 'o2', needFen: 300 },
      { entryKey: 'c', userId: 'C', orderId: 'o3', needFen: 300 },
    ]);
    expect(r.allocations.map((a) => [a.amountFen, a.filled])).toEqual([
      [120, true],
      [300, true],
      [80, false],
    ]);
    expect(r.leftoverFen).toBe(0);
  });

  it('keeps what nobody can take with the merchant (no transfer)', () => {
    const r = planQueueContribution({
      queueId: 'mall',
      contributionId: 'o1',
      contributorOrderId: 'o1',
      amountFen: 900,
      paused: false,
      candidates: [],
    });
    expect(r.plan.ops).toEqual([]);
    expect(r.leftoverFen).toBe(900);
  });

  it('paused queues pay nothing', () => {
    const r = planQueueContribution({
      queueId: 'mall',
      contributionId: 'o2',
      contributorOrderId: 'o2',
      amountFen: 900,
      paused: true,
      candidates: [{ entryKey: 'a', userId: 'A', orderId: 'o1', needFen: 100 }],
    });
    expect(r.plan.ops).toEqual([]);
  });

  it('plans extraction, pending payouts and entry updates', () => {
    const r = planQueueContribution({
      queueId: 'mall',
      contributionId: 'o2',
      contributorOrderId: 'o2',
      amountFen: 900,
      paused: false,
      candidates: [{ entryKey: 'mall#0', userId: 'A', orderId: 'o1', needFen: 100 }],
    });
    expect(r.plan.ops.map((o) => o.op)).toEqual(['transfer', 'transfer', 'entry.update']);
    expect(r.plan.ops[0]).toMatchObject({
      amount: 100,
      reason: 'queue.extract',
      debit: { ownerType: 'merchant' },
      credit: { ownerType: 'pool', ownerId: 'mall' },
    });
    expect(r.plan.ops[1]).toMatchObject({
      amount: 100,
      pending: true,
      reason: 'queue.payout',
      credit: { ownerType: 'user', ownerId: 'A' },
    });
    expect(r.plan.ops[2]).toEqual({
      op: 'entry.update',
      entryKey: 'mall#0',
      receivedDeltaFen: 100,
      status: 'done',
    });
    expect(r.leftoverFen).toBe(800);
  });

  it('reversals void, reopen and return one transfer per pool', () => {
    const plan = planPayoutVoids('refund:o2', [
      { transferId: 't1', entryKey: 'mall#0', queueId: 'mall', amountFen: 100, reopen: true },
      { transferId: 't2', entryKey: 'mall#1', queueId: 'mall', amountFen: 50, reopen: false },
    ]);
    expect(plan.ops.filter((o) => o.op === 'void')).toHaveLength(2);
    expect(plan.ops.at(-1)).toMatchObject({ op: 'transfer', amount: 150, reason: 'queue.return' });
  });
});

describe('queue book order', () => {
  const setup = () => {
    const book = createQueueBook('mall');
    const es = ['o1', 'o2', 'o3'].map((o, i) =>
      joinQueue(book, { orderId: o, userId: o.toUpperCase(), seq: i + 1, entitlementFen: 100 }),
    );
    return { book, es };
  };

  it('fifo offers entries in queue order and never anyone at or behind the contributor', () => {
    const { book } = setup();
    expect([...candidates(book, 'fifo', 3)].map((c) => c.orderId)).toEqual(['o1', 'o2']);
  });

  it('completedFirst offers completed entries first, then the others, each in queue order', () => {
    const { book, es } = setup();
    markCompleted(book, es[2]!);
    markCompleted(book, es[1]!);
    expect([...candidates(book, 'completedFirst', 10)].map((c) => c.orderId)).toEqual([
      'o2',
      'o3',
      'o1',
    ]);
  });

  it('a reopened entry is offered again in its old place', () => {
    const { book, es } = setup();
    applyEntryUpdate(book, es[0]!, {
      op: 'entry.update',
      entryKey: es[0]!.key,
      receivedDeltaFen: 100,
      status: 'done',
    });
    expect([...candidates(book, 'fifo', 10)][0]?.orderId).toBe('o2');
    applyEntryUpdate(book, es[0]!, {
      op: 'entry.update',
      entryKey: es[0]!.key,
      receivedDeltaFen: -100,
      status: 'waiting',
    });
    expect([...candidates(book, 'fifo', 10)][0]?.orderId).toBe('o1');
  });

  it('work per contribution does not grow with queue length', () => {
    // counts the entries each contribution is offered (the work), not the time it takes
    const run = (queueLength: number) => {
      const book = createQueueBook('mall');
      for (let i = 0; i < queueLength; i++)
        joinQueue(book, { orderId: `o${i}`, userId: 'U', seq: i + 1, entitlementFen: 100 });
      let mostOffered = 0;
      let totalOffered = 0;
      let updates = 0;
      for (let i = 0; i < 500; i++) {
        let offered = 0;
        const counted = function* () {
          for (const c of candidates(book, 'fifo', 1e9)) {
            offered++;
            yield c;
          }
        };
        const { plan } = planQueueContribution({
          queueId: 'mall',
          contributionId: `c${i}`,
          contributorOrderId: `c${i}`,
          amountFen: 150,
          paused: false,
          candidates: counted(),
        });
        for (const op of plan.ops) {
          if (op.op !== 'entry.update') continue;
          const idx = Number(op.entryKey.split('#')[1]);
          applyEntryUpdate(book, book.entries[idx]!, op);
          updates++;
        }
        mostOffered = Math.max(mostOffered, offered);
        totalOffered += offered;
      }
      return { mostOffered, totalOffered, updates };
    };
    const short = run(1_000);
    const long = run(200_000);
    // 150 fen fills what is left of one 100-fen entry and part of the next: two entries
    expect(short.mostOffered).toBe(2);
    expect(long).toEqual(short);
    expect(long.updates).toBeGreaterThan(500);
  });
});

describe('entitlement priority chain', () => {
  const product = {
    levelPct: { gold: 150 },
    spendTiers: [
      { days: 30, minFen: 200000, pct: 50 },
      { days: 30, minFen: 500000, pct: 60 },
    ],
    lottery: { pcts: [10, 20, 50] },
    entitlementPct: 120,
  };
  const chain = buildChain({ ...base, levelPct: { gold: 140, silver: 135 } }, product);

  it('product level pct → base level pct → spend tiers → lottery → product pct → base pct', () => {
    expect(resolveEntitlementPctH(chain, { ...ctx, level: 'gold' })).toEqual({
      pctH: 15000,
      source: 'level',
    });
    expect(resolveEntitlementPctH(chain, { ...ctx, level: 'silver' })).toEqual({
      pctH: 13500,
      source: 'level',
    });
    expect(resolveEntitlementPctH(chain, { ...ctx, spendFen: () => 600000 })).toEqual({
      pctH: 6000,
      source: 'spendTiers',
    });
    expect(resolveEntitlementPctH(chain, { ...ctx, spendFen: () => 300000 })).toEqual({
      pctH: 5000,
      source: 'spendTiers',
    });
    expect(resolveEntitlementPctH(chain, { ...ctx, drawnPctH: 2000 })).toEqual({
      pctH: 2000,
      source: 'lottery',
    });
    expect(resolveEntitlementPctH(chain, ctx)).toEqual({ pctH: 12000, source: 'pct' });
    expect(resolveEntitlementPctH(buildChain(base), ctx)).toEqual({ pctH: 13000, source: 'pct' });
  });

  it('draws lottery pcts from the seeded RNG', () => {
    const drawn = new Set(
      Array.from({ length: 50 }, (_, i) => drawLotteryPctH({ pcts: [10, 20, 50] }, createRng(i))),
    );
    expect([...drawn].sort()).toEqual([1000, 2000, 5000]);
    const r = drawLotteryPctH({ minPct: 100, maxPct: 150 }, createRng(3));
    expect(r).toBeGreaterThanOrEqual(10000);
    expect(r).toBeLessThanOrEqual(15000);
    expect(drawLotteryPctH({ minPct: 100, maxPct: 150 }, createRng(3))).toBe(r);
  });

  it('reads time windows, including ones past midnight', () => {
    expect(inHours(9 * 60 + 59, { from: '10:00', to: '22:00' })).toBe(false);
    expect(inHours(23 * 60, { from: '22:00', to: '02:00' })).toBe(true);
    expect(inHours(60, { from: '22:00', to: '02:00' })).toBe(true);
  });
});
