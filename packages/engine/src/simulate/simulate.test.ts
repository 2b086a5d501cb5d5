import { describe, expect, it } from 'vitest';
import { simulate } from './run.ts';
import { at, buy, entries, ev, P1, P100, queueOnly, run } from './testkit.ts';

const zeroUser = {
  cashAvailableFen: 0,
  cashPendingFen: 0,
  pointsAvailable: 0,
  pointsPending: 0,
  vouchers: 0,
};

describe('the documented example scenario', () => {
  it('prints exactly this (refund inside the window cancels the entry)', () => {
    const out = simulate({
      timezone: 'Asia/Shanghai',
      seed: 42,
      settings: {},
      products: [{ id: 'P1', priceFen: 16800, costFen: 12000 }],
      events: [
        { at: '2026-01-01T10:00:00+08:00', type: 'register', user: 'A' },
        { at: '2026-01-01T10:05:00+08:00', type: 'register', user: 'B', referrer: 'A' },
        {
          at: '2026-01-01T10:10:00+08:00',
          type: 'order',
          order: 'o1',
          user: 'A',
          lines: [{ product: 'P1', qty: 1 }],
        },
        { at: '2026-01-01T10:11:00+08:00', type: 'pay', order: 'o1' },
        { at: '2026-01-03T09:00:00+08:00', type: 'complete', order: 'o1' },
        { at: '2026-01-04T09:00:00+08:00', type: 'refund', order: 'o1' },
        { at: '2026-01-20T00:00:00+08:00', type: 'tick' },
      ],
    });
    expect(out).toEqual({
      ok: true,
      result: {
        users: { A: zeroUser, B: zeroUser },
        queues: [
          {
            id: 'product:P1',
            entries: [
              {
                order: 'o1',
                user: 'A',
                entitlementFen: 21840,
                receivedFen: 0,
                status: 'cancelled',
              },
            ],
          },
        ],
        merchant: { revenueFen: 0, rewardsPaidFen: 0, outstandingEntitlementFen: 0 },
        ledger: { balanced: true, transfers: 2 },
        // extension: member level and growth value (members switched off by default)
        members: { A: { level: null, growth: 0 }, B: { level: null, growth: 0 } },
      },
    });
  });

  it('three orders of 168.00 reproduce the documented result block', () => {
    const events = [...buy('o1', 'A', 1), ...buy('o2', 'B', 2), ...buy('o3', 'C', 3)];
    for (const o of ['o1', 'o2', 'o3']) events.push(ev(4, 'complete', { order: o }));
    events.push(ev(20, 'tick'));
    const r = run({}, events);
    expect(r.users.A).toEqual({ ...zeroUser, cashAvailableFen: 21840 });
    expect(entries(r, 'product:P1')[0]).toEqual({
      order: 'o1',
      user: 'A',
      entitlementFen: 21840,
      receivedFen: 21840,
      status: 'done',
    });
    expect(r.merchant).toEqual({
      revenueFen: 50400,
      rewardsPaidFen: 21840,
      outstandingEntitlementFen: 43680,
    });
    // 3 payments + 2 extractions into the queue pool + 2 pending payouts + 2 posts.
    expect(r.ledger).toEqual({ balanced: true, transfers: 9 });
  });
});

describe('the queue-rebate worked examples through the simulator', () => {
  it('168.00 × 130 % = 218.40; each later order pays 109.20; two fill it', () => {
    const r1 = run(queueOnly(), [...buy('o1', 'A', 1), ...buy('o2', 'B', 2)]);
    expect(entries(r1, 'product:P1')[0]).toMatchObject({
      entitlementFen: 21840,
      receivedFen: 10920,
      status: 'waiting',
    });
    expect(r1.users.A?.cashPendingFen).toBe(10920);
    const r2 = run(queueOnly(), [...buy('o1', 'A', 1), ...buy('o2', 'B', 2), ...buy('o3', 'C', 3)]);
    expect(entries(r2, 'product:P1')[0]).toMatchObject({ receivedFen: 21840, status: 'done' });
    expect(entries(r2, 'product:P1')[1]).toMatchObject({ receivedFen: 0, status: 'waiting' });
  });

  it('100.00 with extract 10 %: B, C, D each pay A 10.00 (30 % after three)', () => {
    const s = queueOnly({ products: { P100: { extractPct: 10, entitlementPct: 100 } } });
    const events = ['A', 'B', 'C', 'D'].flatMap((u, i) =>
      buy(`o${i + 1}`, u, i + 1, { product: 'P100' }),
    );
    const r = run(s, events);
    expect(entries(r, 'product:P100').map((e) => e.receivedFen)).toEqual([3000, 0, 0, 0]);
    expect(r.users.A?.cashPendingFen).toBe(3000);
  });
});

describe('pending, windows and refunds', () => {
  const threeBuyers = () => [...buy('o1', 'A', 1), ...buy('o2', 'B', 2)];

  it('a payout stays pending until both orders passed their windows', () => {
    const events = [
      ...threeBuyers(),
      ev(3, 'complete', { order: 'o2' }),
      ev(5, 'complete', { order: 'o1' }),
    ];
    // o2 window ends Jan 10 12:00, o1 window ends Jan 12 12:00.
    const before = run(queueOnly(), [...events, ev(11, 'tick')]);
    expect(before.users.A).toMatchObject({ cashAvailableFen: 0, cashPendingFen: 10920 });
    const after = run(queueOnly(), [...events, ev(12, 'tick', {}, '12:00')]);
    expect(after.users.A).toMatchObject({ cashAvailableFen: 10920, cashPendingFen: 0 });
  });

  it('refund of the contributing order reverses its payout; the entry waits in its old place and is filled later', () => {
    const events = [...threeBuyers(), ev(3, 'refund', { order: 'o2' }), ...buy('o3', 'C', 4)];
    const r = run(queueOnly(), events);
    const q = entries(r, 'product:P1');
    expect(q.map((e) => [e.order, e.receivedFen, e.status])).toEqual([
      ['o1', 10920, 'waiting'],
      ['o2', 0, 'cancelled'],
      ['o3', 0, 'waiting'],
    ]);
    expect(r.users.A?.cashPendingFen).toBe(10920);
    expect(r.ledger.balanced).toBe(true);
  });

  it("refund of the entry's own order cancels it and its pending payouts go back to the merchant", () => {
    const r = run(queueOnly(), [...threeBuyers(), ev(3, 'refund', { order: 'o1' })]);
    expect(entries(r, 'product:P1')[0]).toMatchObject({ receivedFen: 0, status: 'cancelled' });
    expect(r.users.A).toEqual(zeroUser);
    expect(r.merchant.rewardsPaidFen).toBe(0);
  });

  it('a refund after the window reverses nothing that was available', () => {
    const events = [
      ...threeBuyers(),
      ev(3, 'complete', { order: 'o1' }),
      ev(3, 'complete', { order: 'o2' }),
      ev(11, 'refund', { order: 'o2' }),
    ];
    const r = run(queueOnly(), events);
    expect(r.users.A).toMatchObject({ cashAvailableFen: 10920 });
    expect(r.merchant.revenueFen).toBe(16800);
  });

  it('withdrawals take only available cash', () => {
    const events = [
      ...threeBuyers(),
      ev(3, 'complete', { order: 'o1' }),
      ev(3, 'complete', { order: 'o2' }),
    ];
    const early = run(queueOnly(), [...events, ev(4, 'withdraw', { user: 'A', amountFen: 5000 })]);
    expect(early.users.A).toMatchObject({ cashAvailableFen: 0, cashPendingFen: 10920 });
    const late = run(queueOnly(), [...events, ev(11, 'withdraw', { user: 'A', amountFen: 5000 })]);
    expect(late.users.A).toMatchObject({ cashAvailableFen: 5920, cashPendingFen: 0 });
  });

  it('events are taken in time order whatever the file order', () => {
    const events = [...buy('o1', 'A', 1), ...buy('o2', 'B', 2)].reverse();
    const r = run(queueOnly(), events);
    expect(entries(r, 'product:P1')[0]?.receivedFen).toBe(10920);
  });
});

describe('scenario errors are values naming the field', () => {
  const err = (input: unknown) => {
    const out = simulate(input);
    return out.ok ? null : out.errors[0];
  };
  it('names settings and event fields', () => {
    expect(err({ settings: { commission: { depth: 3 } }, events: [] })).toEqual({
      path: 'commission.depth',
      message: 'must be 1 or 2',
    });
    expect(err({ events: [{ at: at(1), type: 'pay', order: 'nope' }] })?.path).toBe(
      'events[0].order',
    );
    expect(err({ events: [{ at: at(1), type: 'fly' }] })?.path).toBe('events[0].type');
    expect(
      err({
        products: [P1],
        events: [
          { at: at(1), type: 'order', order: 'o', user: 'A', lines: [{ product: 'X', qty: 1 }] },
        ],
      })?.path,
    ).toBe('events[0].lines[0].product');
    expect(
      err({
        events: [...buy('o1', 'A', 1), { at: at(2), type: 'pay', order: 'o1' }],
        products: [P1],
      })?.path,
    ).toBe('events[2].order');
    expect(err({ events: [{ at: at(1), type: 'register', user: 'B', referrer: 'Z' }] })?.path).toBe(
      'events[0].referrer',
    );
    expect(err([])?.path).toBe('scenario');
    expect(err({ timezone: 'Mars/Base', events: [] })?.path).toBe('timezone');
    expect(err({ products: [P100], events: 'x' })?.path).toBe('events');
  });
});
