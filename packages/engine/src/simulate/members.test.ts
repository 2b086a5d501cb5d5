/**
 * Members (会员等级), one test per setting, run through the simulator: growth value from
 * settled orders, automatic upgrades, and each level's benefits on the next order.
 */
import { describe, expect, it } from 'vitest';
import { buy, entries, ev, P1, P100, run } from './testkit.ts';

type Ev = Record<string, unknown>;

const silver = {
  id: 'silver',
  name: '白银会员',
  minGrowth: 100,
  discountPct: 0,
  pointsMultiplier: 1,
  commissionPct: null,
};
const gold = { ...silver, id: 'gold', name: '黄金会员', minGrowth: 1000 };

/** Everything off but members (and whatever `extra` switches on). */
const s = (members: Ev, extra: Ev = {}): Ev => ({
  referral: { enabled: false },
  queueRebate: { enabled: false },
  settleAfterDays: 7,
  members: { enabled: true, growthPerYuan: 1, levels: [silver, gold], ...members },
  ...extra,
});

/** A buys P1 (168.00) on day 1, completed day 2: it settles on day 9. Then A buys P100 on day 10. */
const twoOrders = (): Ev[] => [
  ...buy('o1', 'A', 1, { product: 'P1' }),
  ev(2, 'complete', { order: 'o1' }),
  ...buy('o2', 'A', 10, { product: 'P100' }),
];

const revenue = (settings: Ev, events: Ev[]) => run(settings, events).merchant.revenueFen;

describe('members.enabled', () => {
  it('on: a settled order earns growth and the level; off: nothing', () => {
    expect(run(s({}), twoOrders()).members.A).toEqual({ level: 'silver', growth: 168 });
    expect(run(s({ enabled: false }), twoOrders()).members.A).toEqual({ level: null, growth: 0 });
  });
});

describe('members.growthPerYuan', () => {
  it('growth = ⌊paid yuan × growthPerYuan⌋ of each settled order', () => {
    expect(run(s({ growthPerYuan: 0.5 }), twoOrders()).members.A?.growth).toBe(84);
    // 168.00 × 6.5 = 1092 → straight to gold
    expect(run(s({ growthPerYuan: 6.5 }), twoOrders()).members.A).toEqual({
      level: 'gold',
      growth: 1092,
    });
    // 168.00 × 0.5 = 84 < 100: no level yet
    expect(run(s({ growthPerYuan: 0.5 }), twoOrders()).members.A?.level).toBe(null);
  });

  it('counts only when the after-sale window has passed; a refund inside it gives none', () => {
    const early = [...buy('o1', 'A', 1), ev(2, 'complete', { order: 'o1' }), ev(8, 'tick')];
    expect(run(s({}), early).members.A).toEqual({ level: null, growth: 0 });
    const refunded = [
      ...buy('o1', 'A', 1),
      ev(2, 'complete', { order: 'o1' }),
      ev(3, 'refund', { order: 'o1' }),
      ev(20, 'tick'),
    ];
    expect(run(s({}), refunded).members.A).toEqual({ level: null, growth: 0 });
    // after the window the growth stays: levels never go down by themselves
    const late = [
      ...buy('o1', 'A', 1),
      ev(2, 'complete', { order: 'o1' }),
      ev(12, 'refund', { order: 'o1' }),
    ];
    expect(run(s({}), late).members.A).toEqual({ level: 'silver', growth: 168 });
  });
});

describe('members.levels', () => {
  it('minGrowth: the highest level reached wins, growth adds up over orders', () => {
    const events: Ev[] = [];
    for (let i = 0; i < 6; i++)
      events.push(
        ...buy(`o${i}`, 'A', 1, { time: `1${i}:00` }),
        ev(2, 'complete', { order: `o${i}` }),
      );
    events.push(ev(20, 'tick'));
    // 6 × 168 = 1008 ≥ 1000
    expect(run(s({}), events).members.A).toEqual({ level: 'gold', growth: 1008 });
    expect(run(s({ levels: [silver, { ...gold, minGrowth: 2000 }] }), events).members.A).toEqual({
      level: 'silver',
      growth: 1008,
    });
  });

  it('setLevel: an admin may give any level; growth only raises from there', () => {
    const given = (level: string) => [
      ev(1, 'setLevel', { user: 'A', level }, '09:00'),
      ...twoOrders(),
    ];
    // gold given by hand stays gold though the growth only reaches silver
    expect(run(s({}), given('gold')).members.A).toEqual({ level: 'gold', growth: 168 });
    // a level outside the list is kept (the rule cannot rank it)
    expect(run(s({}), given('vip')).members.A).toEqual({ level: 'vip', growth: 168 });
    // growth raises a hand-given silver to gold
    const lots = s({ growthPerYuan: 10 });
    expect(run(lots, given('silver')).members.A).toEqual({ level: 'gold', growth: 1680 });
  });
});

describe('members.levels[].discountPct', () => {
  it('the buyer’s level when the order is placed takes its discount off the goods price', () => {
    const ten = { levels: [{ ...silver, discountPct: 10 }, gold] };
    // o1 168.00 full price; o2 100.00 − 10 % = 90.00
    expect(revenue(s(ten), twoOrders())).toBe(16800 + 9000);
    expect(revenue(s({}), twoOrders())).toBe(16800 + 10000);
    // rounded down to the fen (the merchant keeps the remainder): 168.00 × 2.5 % = 4.20; 99.99 × 2.5 % = 2.49975 → 2.49
    const odd = { levels: [{ ...silver, discountPct: 2.5 }, gold] };
    const P = { id: 'P9', priceFen: 9999, costFen: 0 };
    const events = [...twoOrders().slice(0, 3), ...buy('o2', 'A', 10, { product: 'P9' })];
    expect(run(s(odd), events, [P1, P100, P]).merchant.revenueFen).toBe(16800 + 9999 - 249);
  });

  it('applies before points deduction; an order placed before the upgrade keeps full price', () => {
    const ten = { levels: [{ ...silver, discountPct: 10 }, gold] };
    const withPoints = [
      ...twoOrders().slice(0, 3),
      ...buy('o2', 'A', 10, { product: 'P100', extra: { pointsUsed: 10 } }),
    ];
    // 100.00 − 10.00 discount − 10 points × 1.00 = 80.00
    expect(revenue(s(ten), withPoints)).toBe(16800 + 8000);
    // placed on day 8 (before o1 settles on day 9), paid on day 10: no discount
    const placedEarly = [
      ...twoOrders().slice(0, 3),
      ev(8, 'order', { order: 'o2', user: 'A', lines: [{ product: 'P100', qty: 1 }] }),
      ev(10, 'pay', { order: 'o2' }),
    ];
    expect(revenue(s(ten), placedEarly)).toBe(16800 + 10000);
  });

  it('an in-store amount (no lines) is what the cashier asked: no discount', () => {
    const ten = { levels: [{ ...silver, discountPct: 10 }, gold] };
    const events = [
      ...twoOrders().slice(0, 3),
      ev(10, 'order', { order: 'c1', user: 'A', amountFen: 5000, store: 'S1', cashier: 'K1' }),
      ev(10, 'pay', { order: 'c1' }, '12:01'),
    ];
    expect(revenue(s(ten), events)).toBe(16800 + 5000);
  });
});

describe('members.levels[].pointsMultiplier', () => {
  it('cashback points × the buyer’s multiplier, rounded down', () => {
    const cashback = { cashback: { enabled: true, form: 'points', pointsPerYuan: 0.05 } };
    const x = (m: number) => s({ levels: [{ ...silver, pointsMultiplier: m }, gold] }, cashback);
    // o1: 168.00 → 8 points (no level yet); o2: 100.00 → 5 points × multiplier
    expect(run(x(1), twoOrders()).users.A?.pointsPending).toBe(5);
    expect(run(x(2), twoOrders()).users.A?.pointsPending).toBe(10);
    expect(run(x(1.5), twoOrders()).users.A?.pointsPending).toBe(7); // 7.5 → 7
  });

  it('does not touch cash cashback', () => {
    const cashback = { cashback: { enabled: true, form: 'cash', pct: 5 } };
    const x = s({ levels: [{ ...silver, pointsMultiplier: 3 }, gold] }, cashback);
    expect(run(x, twoOrders()).users.A?.cashPendingFen).toBe(500);
  });
});

describe('members.levels[].commissionPct', () => {
  /** R refers A. R reaches silver with their own order (settled day 9); A buys P100 on day 10. */
  const events = (): Ev[] => [
    ev(1, 'register', { user: 'R' }, '09:00'),
    ev(1, 'register', { user: 'A', referrer: 'R' }, '09:01'),
    ...buy('r1', 'R', 1, { product: 'P1' }),
    ev(2, 'complete', { order: 'r1' }),
    ...buy('a1', 'A', 10, { product: 'P100' }),
  ];
  const commission = { commission: { enabled: true, level1Pct: 10 } };

  it('replaces level1Pct for a referrer of that level', () => {
    const x = (commissionPct: number | null) =>
      s({ levels: [{ ...silver, commissionPct }, gold] }, commission);
    // R's own r1 earns R no commission (no referrer); a1 pays R 20 % instead of 10 %
    expect(run(x(20), events()).users.R?.cashPendingFen).toBe(2000);
    expect(run(x(null), events()).users.R?.cashPendingFen).toBe(1000);
    // R without the level: the plain pct
    const before = events().filter((e) => e.order !== 'r1');
    expect(run(x(20), before).users.R?.cashPendingFen).toBe(1000);
  });

  it('leaves level 2 alone', () => {
    const chain = [
      ev(1, 'register', { user: 'T' }, '08:00'),
      ev(1, 'register', { user: 'R', referrer: 'T' }, '09:00'),
      ...events().slice(1),
    ];
    const x = s(
      { levels: [{ ...silver, commissionPct: 20 }, gold] },
      { commission: { enabled: true, depth: 2, level1Pct: 10, level2Pct: 3 } },
    );
    const r = run(x, chain);
    expect(r.users.R?.cashPendingFen).toBe(2000);
    // T: level 1 on R's r1 (10 % of 168.00, settled; T has no level) + level 2 on a1 (3 %, pending)
    expect(r.users.T).toMatchObject({ cashAvailableFen: 1680, cashPendingFen: 300 });
  });
});

describe('queueRebate.levelPct with automatic levels', () => {
  it('an order placed after the upgrade joins the queue with the level’s pct', () => {
    const x = s(
      {},
      { queueRebate: { enabled: true, queue: 'product', levelPct: { silver: 200 } } },
    );
    const e = entries(run(x, twoOrders()), 'product:P100');
    expect(e[0]).toMatchObject({ order: 'o2', entitlementFen: 20000 });
    const plain = entries(run({ ...x, members: { enabled: false } }, twoOrders()), 'product:P100');
    expect(plain[0]).toMatchObject({ order: 'o2', entitlementFen: 13000 });
  });
});
