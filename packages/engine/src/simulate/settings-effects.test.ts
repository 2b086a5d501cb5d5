/**
 * One test per setting, run through the simulator: each shows the setting's effect by
 * comparing outcomes with it on and off (or at two values).
 */
import { describe, expect, it } from 'vitest';
import { buy, entries, ev, P1, P100, queueOnly, run } from './testkit.ts';

type Ev = Record<string, unknown>;
const noQueue = { queueRebate: { enabled: false } };

/** A registers; friends F1..Fn register under A and each buys P100 (100.00) on day 2, completed day 3. */
function friends(
  n: number,
  opts: { ownOrder?: boolean; product?: string; buyDay?: number } = {},
): Ev[] {
  const events: Ev[] = [ev(1, 'register', { user: 'A' }, '09:00')];
  if (opts.ownOrder)
    events.push(
      ...buy('own', 'A', 1, { product: 'P1' }),
      ev(1, 'complete', { order: 'own' }, '12:00'),
    );
  for (let i = 1; i <= n; i++) {
    events.push(ev(1, 'register', { user: `F${i}`, referrer: 'A' }, `09:0${i}`));
    const day = opts.buyDay ?? 2;
    events.push(
      ...buy(`f${i}`, `F${i}`, day, { product: opts.product ?? 'P100' }),
      ev(day + 1, 'complete', { order: `f${i}` }),
    );
  }
  events.push(ev(20, 'tick'));
  return events;
}

describe('settleAfterDays', () => {
  it('0 makes rewards available at completion; 7 keeps them pending a week', () => {
    const events = [
      ...buy('o1', 'A', 1),
      ...buy('o2', 'B', 2),
      ev(3, 'complete', { order: 'o1' }),
      ev(3, 'complete', { order: 'o2' }),
    ];
    expect(run(queueOnly({}, { settleAfterDays: 0 }), events).users.A).toMatchObject({
      cashAvailableFen: 10920,
      cashPendingFen: 0,
    });
    expect(run(queueOnly({}, { settleAfterDays: 7 }), events).users.A).toMatchObject({
      cashAvailableFen: 0,
      cashPendingFen: 10920,
    });
  });
});

describe('referral', () => {
  const s = (referral: Ev) => ({ ...noQueue, referral });

  it('enabled: three friends whose orders passed the window → 50.00; disabled → nothing', () => {
    expect(run(s({ enabled: true }), friends(3)).users.A?.cashAvailableFen).toBe(5000);
    expect(run(s({ enabled: false }), friends(3)).users.A?.cashAvailableFen).toBe(0);
  });

  it('counts a friend only once the order passed its window', () => {
    const events = friends(3).slice(0, -1).concat(ev(8, 'tick'));
    expect(run(s({}), events).users.A?.cashAvailableFen).toBe(0);
  });

  it('everyN: 2 → a reward at the 2nd friend; 3 friends give one reward', () => {
    expect(run(s({ everyN: 2 }), friends(3)).users.A?.cashAvailableFen).toBe(5000);
    expect(run(s({ everyN: 2 }), friends(4)).users.A?.cashAvailableFen).toBe(10000);
  });

  it('repeat: false rewards only the first group', () => {
    expect(run(s({ everyN: 1, repeat: true }), friends(3)).users.A?.cashAvailableFen).toBe(15000);
    expect(run(s({ everyN: 1, repeat: false }), friends(3)).users.A?.cashAvailableFen).toBe(5000);
  });

  it('minOrderFen: orders below it do not count', () => {
    expect(run(s({ minOrderFen: 10001 }), friends(3)).users.A?.cashAvailableFen).toBe(0);
  });

  it('productId: only orders containing the product count', () => {
    expect(run(s({ productId: 'P1' }), friends(3)).users.A?.cashAvailableFen).toBe(0);
    expect(run(s({ productId: 'P100' }), friends(3)).users.A?.cashAvailableFen).toBe(5000);
  });

  it('withinDays: orders placed too long after binding do not count', () => {
    expect(run(s({ withinDays: 1 }), friends(3, { buyDay: 5 })).users.A?.cashAvailableFen).toBe(0);
    expect(run(s({ withinDays: 10 }), friends(3, { buyDay: 5 })).users.A?.cashAvailableFen).toBe(
      5000,
    );
  });

  it('budgetFen caps the total paid out', () => {
    expect(run(s({ everyN: 1, budgetFen: 12000 }), friends(3)).users.A?.cashAvailableFen).toBe(
      12000,
    );
  });

  it('budgetFen is the merchant’s budget, shared by every referrer', () => {
    // A and Z each bring one friend; a 60.00 budget covers A's 50.00 and 10.00 of Z's
    const events: Ev[] = [
      ev(1, 'register', { user: 'A' }, '09:00'),
      ev(1, 'register', { user: 'Z' }, '09:00'),
      ev(1, 'register', { user: 'F1', referrer: 'A' }, '09:01'),
      ev(1, 'register', { user: 'F2', referrer: 'Z' }, '09:02'),
      ...buy('f1', 'F1', 2, { product: 'P100' }),
      ev(3, 'complete', { order: 'f1' }),
      ...buy('f2', 'F2', 4, { product: 'P100' }),
      ev(5, 'complete', { order: 'f2' }),
      ev(20, 'tick'),
    ];
    const users = run(s({ everyN: 1, budgetFen: 6000 }), events).users;
    expect(users.A?.cashAvailableFen).toBe(5000);
    expect(users.Z?.cashAvailableFen).toBe(1000);
  });

  it('reward forms: points, coupon (voucher value), pctOfOwnOrder (返一), pctOfFriendsPaid', () => {
    expect(
      run(s({ reward: { form: 'points', points: 30 } }), friends(3)).users.A?.pointsAvailable,
    ).toBe(30);
    expect(
      run(s({ reward: { form: 'coupon', fixedFen: 5000 } }), friends(3)).users.A?.vouchers,
    ).toBe(50);
    const own = run(
      s({ reward: { form: 'cash', pctOfOwnOrder: 100 } }),
      friends(3, { ownOrder: true }),
    );
    expect(own.users.A?.cashAvailableFen).toBe(16800);
    expect(
      run(s({ reward: { form: 'cash', pctOfOwnOrder: 100 } }), friends(3)).users.A
        ?.cashAvailableFen,
    ).toBe(0);
    expect(
      run(s({ reward: { form: 'cash', pctOfFriendsPaid: 10 } }), friends(3)).users.A
        ?.cashAvailableFen,
    ).toBe(3000);
  });

  it('a reward never exceeds what the friends paid', () => {
    expect(
      run(s({ everyN: 1, reward: { form: 'cash', fixedFen: 50000 } }), friends(1)).users.A
        ?.cashAvailableFen,
    ).toBe(10000);
  });
});

describe('commission', () => {
  const chain = (): Ev[] => [
    ev(1, 'register', { user: 'A' }, '09:00'),
    ev(1, 'register', { user: 'B', referrer: 'A' }, '09:01'),
    ev(1, 'register', { user: 'C', referrer: 'B' }, '09:02'),
    ...buy('o1', 'C', 2, { product: 'P100' }),
  ];
  const s = (commission: Ev) => ({ ...noQueue, referral: { enabled: false }, commission });

  it('enabled + level1Pct: the referrer earns 10 % pending; disabled: nothing', () => {
    expect(run(s({ enabled: true }), chain()).users.B?.cashPendingFen).toBe(1000);
    expect(run(s({ enabled: true, level1Pct: 5 }), chain()).users.B?.cashPendingFen).toBe(500);
    expect(run(s({ enabled: false }), chain()).users.B?.cashPendingFen).toBe(0);
  });

  it('depth 2 + level2Pct pays the referrer’s referrer; depth 1 does not', () => {
    expect(run(s({ enabled: true, depth: 2, level2Pct: 3 }), chain()).users.A?.cashPendingFen).toBe(
      300,
    );
    expect(run(s({ enabled: true, depth: 1, level2Pct: 3 }), chain()).users.A?.cashPendingFen).toBe(
      0,
    );
  });

  it('is cancelled by a refund inside the window', () => {
    const r = run(s({ enabled: true }), [...chain(), ev(3, 'refund', { order: 'o1' })]);
    expect(r.users.B).toMatchObject({ cashPendingFen: 0, cashAvailableFen: 0 });
  });

  it('storeRecruitPct: the user who brought the store earns a share of the platform commission', () => {
    const events = [
      ev(1, 'register', { user: 'R' }),
      ...buy('o1', 'X', 2, { product: 'P100', extra: { store: 'S1' } }),
    ];
    const stores = [{ id: 'S1', recruiter: 'R', commissionPct: 10 }];
    expect(
      run(s({ enabled: true, storeRecruitPct: 50 }), events, [P1, P100], { stores }).users.R
        ?.cashPendingFen,
    ).toBe(500);
    expect(
      run(s({ enabled: true, storeRecruitPct: 0 }), events, [P1, P100], { stores }).users.R
        ?.cashPendingFen,
    ).toBe(0);
  });
});

describe('cashback', () => {
  const s = (cashback: Ev) => ({ ...noQueue, referral: { enabled: false }, cashback });
  const order150 = () => [
    ...buy('o1', 'A', 1, { lines: [{ product: 'P100', qty: 1 }], extra: { amountFen: 15000 } }),
  ];

  it('points at pointsPerYuan: 150.00 × 0.05 → 7 points, pending then available', () => {
    expect(
      run(s({ enabled: true, form: 'points', pointsPerYuan: 0.05 }), order150()).users.A
        ?.pointsPending,
    ).toBe(7);
    const done = run(s({ enabled: true, pointsPerYuan: 0.05 }), [
      ...order150(),
      ev(2, 'complete', { order: 'o1' }),
      ev(10, 'tick'),
    ]);
    expect(done.users.A).toMatchObject({ pointsAvailable: 7, pointsPending: 0 });
    expect(run(s({ enabled: true, pointsPerYuan: 0.1 }), order150()).users.A?.pointsPending).toBe(
      15,
    );
    expect(run(s({ enabled: false }), order150()).users.A?.pointsPending).toBe(0);
  });

  it('form cash with pct', () => {
    expect(
      run(s({ enabled: true, form: 'cash', pct: 5 }), order150()).users.A?.cashPendingFen,
    ).toBe(750);
  });
});

describe('points (extension)', () => {
  const base = (points: Ev) => ({
    ...noQueue,
    referral: { enabled: false },
    cashback: { enabled: true, pointsPerYuan: 1 },
    points,
  });
  const earn = (): Ev[] => [
    ...buy('o1', 'A', 1, { product: 'P100' }),
    ev(1, 'complete', { order: 'o1' }, '12:00'),
  ];

  it('expiryDays: a grant expires D days after it became available', () => {
    // 100 points available Jan 8 12:00; with 5 days they are gone on Jan 13 12:00.
    expect(
      run(base({ expiryDays: 5 }), [...earn(), ev(13, 'tick', {}, '11:59')]).users.A
        ?.pointsAvailable,
    ).toBe(100);
    expect(
      run(base({ expiryDays: 5 }), [...earn(), ev(13, 'tick', {}, '12:00')]).users.A
        ?.pointsAvailable,
    ).toBe(0);
    expect(
      run(base({ expiryDays: null }), [...earn(), ev(30, 'tick')]).users.A?.pointsAvailable,
    ).toBe(100);
  });

  it('expireAtYearEnd: everything goes at local new year', () => {
    const events = [...earn(), { at: '2026-12-31T23:59:00+08:00', type: 'tick' }];
    expect(run(base({ expireAtYearEnd: true }), events).users.A?.pointsAvailable).toBe(100);
    const after = [...earn(), { at: '2027-01-01T00:00:00+08:00', type: 'tick' }];
    expect(run(base({ expireAtYearEnd: true }), after).users.A?.pointsAvailable).toBe(0);
  });

  it('spending consumes the oldest lot first, so the later grant survives the first expiry', () => {
    const events = [
      ...earn(),
      ...buy('o2', 'A', 3, { product: 'P100' }),
      ev(3, 'complete', { order: 'o2' }, '12:00'),
      ...buy('o3', 'A', 11, { product: 'P1', extra: { pointsUsed: 100 } }),
      ev(13, 'tick', {}, '12:30'),
    ];
    // Lot 1 (Jan 8, 100 pts) is spent on o3; lot 2 (Jan 10) expires Jan 15, so 100 are left.
    const r = run(
      { ...base({ expiryDays: 5 }), cashback: { enabled: true, pointsPerYuan: 1 } },
      events,
    );
    expect(r.users.A?.pointsAvailable).toBe(100);
  });

  it('fenPerPoint sets what a point is worth at checkout', () => {
    const events = [...buy('o1', 'A', 1, { product: 'P100', extra: { pointsUsed: 10 } })];
    expect(
      run({ ...noQueue, referral: { enabled: false }, points: { fenPerPoint: 100 } }, events)
        .merchant.revenueFen,
    ).toBe(9000);
    expect(
      run({ ...noQueue, referral: { enabled: false }, points: { fenPerPoint: 1 } }, events).merchant
        .revenueFen,
    ).toBe(9990);
  });
});

describe('queueRebate', () => {
  const two = (opts: { product?: string } = {}) => [
    ...buy('o1', 'A', 1, opts),
    ...buy('o2', 'B', 2, opts),
  ];

  it('enabled: false → no queue at all', () => {
    expect(run(queueOnly({ enabled: false }), two()).queues).toEqual([]);
  });

  it('queue: mall puts all products in one queue; product keeps one queue per product', () => {
    const events = [
      ...buy('o1', 'A', 1, { product: 'P1' }),
      ...buy('o2', 'B', 2, { product: 'P100' }),
    ];
    const mall = run(queueOnly({ queue: 'mall' }), events);
    expect(mall.queues.map((q) => q.id)).toEqual(['mall']);
    expect(entries(mall, 'mall')[0]?.receivedFen).toBe(6500);
    const product = run(queueOnly({ queue: 'product' }), events);
    expect(product.queues.map((q) => q.id)).toEqual(['product:P1', 'product:P100']);
    expect(entries(product, 'product:P1')[0]?.receivedFen).toBe(0);
  });

  it('a mall order is one entry summing its lines; a product order line is its own entry', () => {
    const lines = [
      { product: 'P1', qty: 1 },
      { product: 'P100', qty: 2 },
    ];
    const mall = run(queueOnly({ queue: 'mall' }), buy('o1', 'A', 1, { lines }));
    expect(entries(mall, 'mall')).toEqual([
      { order: 'o1', user: 'A', entitlementFen: 21840 + 26000, receivedFen: 0, status: 'waiting' },
    ]);
    const product = run(queueOnly({ queue: 'product' }), buy('o1', 'A', 1, { lines }));
    expect(product.queues.map((q) => [q.id, q.entries[0]?.entitlementFen])).toEqual([
      ['product:P1', 21840],
      ['product:P100', 26000],
    ]);
  });

  it('stores: each → store:<id> queues; all → one "stores" queue', () => {
    const events = [
      ...buy('o1', 'A', 1, { extra: { store: 'S1' } }),
      ...buy('o2', 'B', 2, { extra: { store: 'S2' } }),
    ];
    const each = run(queueOnly({ stores: 'each' }), events);
    expect(each.queues.map((q) => q.id)).toEqual(['store:S1', 'store:S2']);
    expect(entries(each, 'store:S1')[0]?.receivedFen).toBe(0);
    const all = run(queueOnly({ stores: 'all' }), events);
    expect(all.queues.map((q) => q.id)).toEqual(['stores']);
    expect(entries(all, 'stores')[0]?.receivedFen).toBe(10920);
  });

  it('cashiers: each → cashier:<id>; all → "cashiers"; in-store payments carry amountFen', () => {
    const pay = (o: string, u: string, d: number, c: string): Ev[] => [
      ev(d, 'order', { order: o, user: u, cashier: c, amountFen: 10000 }, '10:00'),
      ev(d, 'pay', { order: o }, '10:01'),
    ];
    const events = [...pay('o1', 'A', 1, 'K1'), ...pay('o2', 'B', 2, 'K2')];
    expect(run(queueOnly({ cashiers: 'each' }), events).queues.map((q) => q.id)).toEqual([
      'cashier:K1',
      'cashier:K2',
    ]);
    const all = run(queueOnly({ cashiers: 'all' }), events);
    expect(all.queues.map((q) => q.id)).toEqual(['cashiers']);
    expect(entries(all, 'cashiers')[0]).toMatchObject({ entitlementFen: 13000, receivedFen: 6500 });
  });

  it('store and cashier override maps change the pct for that location', () => {
    const events = [...buy('o1', 'A', 1, { extra: { store: 'S1' } })];
    const r = run(queueOnly({ stores: { S1: { entitlementPct: 100 } } }), events);
    expect(entries(r, 'store:S1')[0]?.entitlementFen).toBe(16800);
  });

  it('settleOn: completed distributes only when the contributing order completes', () => {
    expect(
      entries(run(queueOnly({ settleOn: 'completed' }), two()), 'product:P1')[0]?.receivedFen,
    ).toBe(0);
    const done = run(queueOnly({ settleOn: 'completed' }), [
      ...two(),
      ev(3, 'complete', { order: 'o2' }),
    ]);
    expect(entries(done, 'product:P1')[0]?.receivedFen).toBe(10920);
  });

  it('order: completedFirst pays a completed later entry before an earlier uncompleted one; fifo does not', () => {
    const events = [
      ...buy('o1', 'A', 1),
      ...buy('o2', 'B', 2),
      ev(2, 'complete', { order: 'o2' }),
      ...buy('o3', 'C', 3),
    ];
    const fifo = run(queueOnly({ order: 'fifo' }), events);
    expect(entries(fifo, 'product:P1').map((e) => e.receivedFen)).toEqual([21840, 0, 0]);
    const cf = run(queueOnly({ order: 'completedFirst' }), events);
    expect(entries(cf, 'product:P1').map((e) => e.receivedFen)).toEqual([10920, 10920, 0]);
  });

  it('extractPct and entitlementPct (base and per product)', () => {
    expect(entries(run(queueOnly({ extractPct: 10 }), two()), 'product:P1')[0]?.receivedFen).toBe(
      1680,
    );
    expect(
      entries(run(queueOnly({ entitlementPct: 100 }), two()), 'product:P1')[0]?.entitlementFen,
    ).toBe(16800);
    const per = run(queueOnly({ products: { P1: { extractPct: 20, entitlementPct: 50 } } }), two());
    expect(entries(per, 'product:P1')[0]).toMatchObject({
      entitlementFen: 8400,
      receivedFen: 3360,
    });
  });

  it('products.<id>.enabled: false keeps that product out (no entry, no contribution)', () => {
    expect(run(queueOnly({ products: { P1: { enabled: false } } }), two()).queues).toEqual([]);
  });

  it('levelPct: the member level at order time picks the pct', () => {
    const events = [ev(1, 'setLevel', { user: 'A', level: 'gold' }, '09:00'), ...buy('o1', 'A', 1)];
    expect(
      entries(run(queueOnly({ levelPct: { gold: 200 } }), events), 'product:P1')[0]?.entitlementFen,
    ).toBe(33600);
    expect(entries(run(queueOnly({ levelPct: {} }), events), 'product:P1')[0]?.entitlementFen).toBe(
      21840,
    );
  });

  it('spendTiers: completed spend in the period lifts the pct to the highest tier met', () => {
    const tiers = {
      products: {
        P1: {
          spendTiers: [
            { days: 30, minFen: 10000, pct: 50 },
            { days: 30, minFen: 30000, pct: 60 },
          ],
        },
      },
    };
    const events = [
      ...buy('a', 'A', 1, { product: 'P100' }),
      ev(1, 'complete', { order: 'a' }, '12:00'),
      ...buy('o1', 'A', 2),
    ];
    expect(entries(run(queueOnly(tiers), events), 'product:P1')[0]?.entitlementFen).toBe(8400);
    expect(entries(run(queueOnly(tiers), buy('o1', 'A', 2)), 'product:P1')[0]?.entitlementFen).toBe(
      21840,
    );
  });

  it('lottery: a draw replaces the pct while nothing was received; only once', () => {
    const events = [...buy('o1', 'A', 1), ev(1, 'lottery', { order: 'o1' }, '11:00')];
    const r = run(queueOnly({ lottery: { pcts: [10, 20, 50] } }), events);
    expect([1680, 3360, 8400]).toContain(entries(r, 'product:P1')[0]?.entitlementFen);
    const twice = run(queueOnly({ lottery: { pcts: [10, 20, 50] } }), [
      ...events,
      ev(1, 'lottery', { order: 'o1' }, '11:30'),
    ]);
    expect(entries(twice, 'product:P1')[0]?.entitlementFen).toBe(
      entries(r, 'product:P1')[0]?.entitlementFen,
    );
    const none = run(queueOnly({ lottery: null }), events);
    expect(entries(none, 'product:P1')[0]?.entitlementFen).toBe(21840);
    const range = run(queueOnly({ lottery: { minPct: 100, maxPct: 150 } }), events);
    const e = entries(range, 'product:P1')[0]?.entitlementFen ?? 0;
    expect(e).toBeGreaterThanOrEqual(16800);
    expect(e).toBeLessThanOrEqual(25200);
  });

  it('deduction: exclude → an order paid partly with points earns no entry but still contributes', () => {
    const events = [...buy('o1', 'A', 1), ...buy('o2', 'B', 2, { extra: { pointsUsed: 10 } })];
    const ex = run(queueOnly({ deduction: 'exclude' }), events);
    expect(entries(ex, 'product:P1').map((e) => [e.order, e.receivedFen])).toEqual([['o1', 10270]]); // (168 − 10) × 65 %
    const part = run(queueOnly({ deduction: 'participate' }), events);
    expect(entries(part, 'product:P1').map((e) => e.order)).toEqual(['o1', 'o2']);
    expect(entries(part, 'product:P1')[1]?.entitlementFen).toBe(20540);
  });

  it('hours: orders placed outside the window earn nothing but still contribute', () => {
    const events = [...buy('o1', 'A', 1), ...buy('o2', 'B', 1, { time: '23:00' })];
    const r = run(queueOnly({ hours: { from: '10:00', to: '22:00' } }), events);
    expect(entries(r, 'product:P1').map((e) => [e.order, e.receivedFen])).toEqual([['o1', 10920]]);
  });

  it('perUserPerDay and perUserTotal limit entitlements per person', () => {
    const events = [
      ...buy('o1', 'A', 1),
      ...buy('o2', 'A', 1, { time: '11:00' }),
      ...buy('o3', 'A', 2),
    ];
    expect(
      entries(run(queueOnly({ perUserPerDay: 1 }), events), 'product:P1').map((e) => e.order),
    ).toEqual(['o1', 'o3']);
    expect(
      entries(run(queueOnly({ perUserTotal: 2 }), events), 'product:P1').map((e) => e.order),
    ).toEqual(['o1', 'o2']);
    expect(entries(run(queueOnly({}), events), 'product:P1')).toHaveLength(3);
  });

  it('exchangeRate: exchanging the remaining entitlement to points or voucher value', () => {
    const events = [...two(), ev(3, 'exchange', { order: 'o1', to: 'points' })];
    const r = run(queueOnly({ exchangeRate: { pointsPerYuan: 2, voucherPerYuan: 1 } }), events);
    expect(entries(r, 'product:P1')[0]).toMatchObject({ receivedFen: 10920, status: 'exchanged' });
    expect(r.users.A?.pointsPending).toBe(218); // 109.20 yuan × 2
    const v = run(queueOnly({ exchangeRate: { pointsPerYuan: 1, voucherPerYuan: 1 } }), [
      ...two(),
      ev(3, 'exchange', { order: 'o1', to: 'voucher' }),
    ]);
    expect(v.users.A?.vouchers).toBe(109);
    expect(v.merchant.outstandingEntitlementFen).toBe(21840); // only o2 is still waiting
  });

  it('randomReturn: in each group the points members are converted at once and never queue', () => {
    const events = ['A', 'B', 'C', 'D', 'E', 'F'].flatMap((u, i) => buy(`o${i}`, u, i + 1));
    const r = run(queueOnly({ randomReturn: { cash: 1, points: 2 } }), events);
    const q = entries(r, 'product:P1');
    for (const group of [q.slice(0, 3), q.slice(3, 6)]) {
      expect(group.filter((e) => e.status === 'converted')).toHaveLength(2);
    }
    const converted = q.filter((e) => e.status === 'converted');
    for (const e of converted) expect(r.users[e.user]?.pointsPending).toBe(218);
    expect(
      run(queueOnly({ randomReturn: null }), events).queues[0]?.entries.every(
        (e) => e.status !== 'converted',
      ),
    ).toBe(true);
  });

  it('clearing: daily clears every waiting entry at local midnight', () => {
    // o1 is cleared at Jan 2 00:00 before o2 pays, so o2's contribution stays with the merchant.
    const r = run(queueOnly({ clearing: 'daily' }), [...two(), ev(2, 'tick', {}, '23:59')]);
    expect(entries(r, 'product:P1').map((e) => [e.status, e.receivedFen])).toEqual([
      ['cleared', 0],
      ['waiting', 0],
    ]);
    const sameDay = [
      ...buy('o1', 'A', 1),
      ...buy('o2', 'B', 1, { time: '11:00' }),
      ev(2, 'tick', {}, '00:00'),
    ];
    const r2 = run(queueOnly({ clearing: 'daily' }), sameDay);
    expect(entries(r2, 'product:P1').map((e) => e.status)).toEqual(['cleared', 'cleared']);
    expect(r2.users.A?.cashPendingFen).toBe(10920); // what was received stays
    expect(r2.merchant.outstandingEntitlementFen).toBe(0);
    const weekly = run(queueOnly({ clearing: 'weekly' }), [...two(), ev(4, 'tick')]); // Jan 5 2026 is a Monday
    expect(entries(weekly, 'product:P1').map((e) => e.status)).toEqual(['waiting', 'waiting']);
    const weekly2 = run(queueOnly({ clearing: 'weekly' }), [...two(), ev(5, 'tick', {}, '00:00')]);
    expect(entries(weekly2, 'product:P1').map((e) => e.status)).toEqual(['cleared', 'cleared']);
    const monthly = run(queueOnly({ clearing: 'monthly' }), [
      ...two(),
      { at: '2026-02-01T00:00:00+08:00', type: 'tick' },
    ]);
    expect(entries(monthly, 'product:P1').map((e) => e.status)).toEqual(['cleared', 'cleared']);
  });

  it('paused: entries still join, nothing is paid', () => {
    const r = run(queueOnly({ paused: true }), two());
    expect(entries(r, 'product:P1').map((e) => e.receivedFen)).toEqual([0, 0]);
    expect(r.merchant.rewardsPaidFen).toBe(0);
  });

  it('pool: entries are funded daily from poolPct of the day’s profit, FIFO', () => {
    const events = [
      ...buy('o1', 'A', 1, { product: 'P100' }),
      ...buy('o2', 'B', 1, { product: 'P100', time: '11:00' }),
      ev(2, 'tick', {}, '00:00'),
    ];
    // Day profit 2 × (100 − 60) = 80.00; 60 % → 48.00 to A (quota 110.00).
    const r = run(queueOnly({ pool: { poolPct: 60, entitlementPct: 110 } }), events);
    expect(r.queues.map((q) => q.id)).toEqual(['pool']);
    expect(entries(r, 'pool').map((e) => [e.entitlementFen, e.receivedFen])).toEqual([
      [11000, 4800],
      [11000, 0],
    ]);
    expect(r.ledger.balanced).toBe(true);
  });

  it('display switches, name and exchangeName validate but do not change money', () => {
    const a = run(
      queueOnly({
        display: { queueId: false, member: false },
        name: '共享链',
        exchangeName: '换积分',
      }),
      two(),
    );
    expect(a).toEqual(run(queueOnly(), two()));
  });
});
