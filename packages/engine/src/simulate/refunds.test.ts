import { describe, expect, it } from 'vitest';
import { simulate } from './run.ts';
import { at, buy, entries, ev, queueOnly, run } from './testkit.ts';

/**
 * What a refund does to rewards is decided by the reward's state, not by the refunded
 * order's own window: every reward still pending that depends on the order is cancelled,
 * an available one is kept. An open after-sale request holds the order's window.
 * Window: 7 days (the default); a complete on Jan 2 at 12:00 ends its window Jan 9 12:00.
 */
describe('a refund after the order’s own window', () => {
  it('cancels a pending payout to the refunded entry (its order settled before the payout)', () => {
    const events = [
      ...buy('o1', 'A', 1),
      ev(2, 'complete', { order: 'o1' }),
      // o1 settled Jan 9; B's order pays A on Jan 10, pending until o2 settles
      ...buy('o2', 'B', 10),
      ev(11, 'refund', { order: 'o1' }),
      ev(11, 'complete', { order: 'o2' }, '13:00'),
      ev(20, 'tick'),
    ];
    const r = run(queueOnly(), events);
    expect(entries(r, 'product:P1')[0]).toMatchObject({ receivedFen: 0, status: 'cancelled' });
    expect(r.users.A).toMatchObject({ cashAvailableFen: 0, cashPendingFen: 0 });
    expect(r.merchant.rewardsPaidFen).toBe(0);
    expect(r.ledger.balanced).toBe(true);
  });

  it('cancels a pending payout the refunded order funded; the entry waits again in its old place', () => {
    const events = [
      ...buy('o1', 'A', 1), // A's order is not completed: A's payouts stay pending
      ...buy('o2', 'B', 2),
      ev(2, 'complete', { order: 'o2' }),
      ev(10, 'refund', { order: 'o2' }), // o2's window ended Jan 9
    ];
    const r = run(queueOnly(), events);
    expect(entries(r, 'product:P1').map((e) => [e.order, e.receivedFen, e.status])).toEqual([
      ['o1', 0, 'waiting'],
      ['o2', 0, 'cancelled'],
    ]);
    expect(r.users.A).toMatchObject({ cashAvailableFen: 0, cashPendingFen: 0 });
    // the next order pays A first: A kept its place
    const later = run(queueOnly(), [...events, ...buy('o3', 'C', 11)]);
    expect(entries(later, 'product:P1')[0]).toMatchObject({ receivedFen: 10920 });
  });

  it('takes back nothing that is already available', () => {
    const events = [
      ...buy('o1', 'A', 1),
      ...buy('o2', 'B', 1, { time: '11:00' }),
      ev(2, 'complete', { order: 'o1' }),
      ev(2, 'complete', { order: 'o2' }),
      ev(10, 'refund', { order: 'o1' }),
      ev(10, 'refund', { order: 'o2' }, '13:00'),
    ];
    const r = run(queueOnly(), events);
    expect(r.users.A).toMatchObject({ cashAvailableFen: 10920, cashPendingFen: 0 });
    expect(r.merchant.revenueFen).toBe(0);
    expect(r.ledger.balanced).toBe(true);
  });
});

describe('an open after-sale request holds the window', () => {
  const commission = {
    referral: { enabled: false },
    queueRebate: { enabled: false },
    commission: { enabled: true, depth: 1, level1Pct: 10 },
  };
  const held = [
    ev(1, 'register', { user: 'A' }, '09:00'),
    ev(1, 'register', { user: 'B', referrer: 'A' }, '09:01'),
    ...buy('o1', 'B', 1),
    ev(2, 'complete', { order: 'o1' }),
    ev(5, 'requestRefund', { order: 'o1' }),
  ];

  it('a refund requested inside the window and approved after it cancels the rewards', () => {
    const open = run(commission, [...held, ev(11, 'tick')]);
    expect(open.users.A).toMatchObject({ cashAvailableFen: 0, cashPendingFen: 1680 });
    const r = run(commission, [...held, ev(12, 'refund', { order: 'o1' }), ev(20, 'tick')]);
    expect(r.users.A).toMatchObject({ cashAvailableFen: 0, cashPendingFen: 0 });
    expect(r.merchant).toMatchObject({ revenueFen: 0, rewardsPaidFen: 0 });
  });

  it('a rejected request lets the order settle at once when its window has ended', () => {
    const r = run(commission, [...held, ev(12, 'rejectRefund', { order: 'o1' })]);
    expect(r.users.A).toMatchObject({ cashAvailableFen: 1680, cashPendingFen: 0 });
    // rejected inside the window: the order settles at the window's end as usual
    const early = [...held, ev(6, 'rejectRefund', { order: 'o1' })];
    expect(run(commission, [...early, ev(9, 'tick', {}, '11:59')]).users.A).toMatchObject({
      cashPendingFen: 1680,
    });
    expect(run(commission, [...early, ev(9, 'tick', {}, '12:00')]).users.A).toMatchObject({
      cashAvailableFen: 1680,
    });
  });

  it('a request opened after the window holds nothing', () => {
    const late = [
      ...held.slice(0, -1),
      ev(10, 'requestRefund', { order: 'o1' }),
      ev(12, 'refund', { order: 'o1' }),
    ];
    expect(run(commission, late).users.A).toMatchObject({ cashAvailableFen: 1680 });
  });

  it('返一 waiting on the referrer’s own order is cancelled when that order is refunded late', () => {
    const settings = {
      queueRebate: { enabled: false },
      referral: { enabled: true, everyN: 1, reward: { form: 'cash', pctOfOwnOrder: 100 } },
    };
    const events = [
      ev(1, 'register', { user: 'A' }, '09:00'),
      ev(1, 'register', { user: 'B', referrer: 'A' }, '09:01'),
      ...buy('oA', 'A', 1),
      ...buy('oB', 'B', 1, { time: '11:00' }),
      ev(2, 'complete', { order: 'oA' }),
      ev(2, 'complete', { order: 'oB' }, '13:00'),
      ev(8, 'requestRefund', { order: 'oA' }),
      // oB settles Jan 9 13:00: A earns 100 % of oA, pending while oA's request is open
    ];
    const open = run(settings, [...events, ev(10, 'tick')]);
    expect(open.users.A).toMatchObject({ cashAvailableFen: 0, cashPendingFen: 16800 });
    const refunded = run(settings, [...events, ev(15, 'refund', { order: 'oA' })]);
    expect(refunded.users.A).toMatchObject({ cashAvailableFen: 0, cashPendingFen: 0 });
    const rejected = run(settings, [...events, ev(15, 'rejectRefund', { order: 'oA' })]);
    expect(rejected.users.A).toMatchObject({ cashAvailableFen: 16800, cashPendingFen: 0 });
  });

  it('names impossible request events', () => {
    const err = (events: unknown[]) => {
      const out = simulate({ products: [{ id: 'P1', priceFen: 100 }], events });
      return out.ok ? null : out.errors[0];
    };
    expect(err([...buy('o1', 'A', 1), { at: at(2), type: 'rejectRefund', order: 'o1' }])).toEqual({
      path: 'events[2].order',
      message: 'order "o1" has no open after-sale request',
    });
    expect(
      err([
        ...buy('o1', 'A', 1),
        { at: at(2), type: 'requestRefund', order: 'o1' },
        { at: at(3), type: 'requestRefund', order: 'o1' },
      ])?.path,
    ).toBe('events[3].order');
    expect(
      err([
        { at: at(1), type: 'order', order: 'o1', user: 'A', lines: [{ product: 'P1' }] },
        {
          at: at(2),
          type: 'requestRefund',
          order: 'o1',
        },
      ])?.message,
    ).toBe('cannot requestRefund order "o1" in state pending_payment');
    // the server refuses to ship while a request is open; so does the simulator
    expect(
      err([
        ...buy('o1', 'A', 1),
        { at: at(2), type: 'requestRefund', order: 'o1' },
        { at: at(3), type: 'ship', order: 'o1' },
      ]),
    ).toEqual({
      path: 'events[3].order',
      message: 'cannot ship order "o1" while its after-sale request is open',
    });
  });
});
