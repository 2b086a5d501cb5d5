import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings/defaults.ts';
import { onFriendOrderSettled, type ReferrerProgress } from './referral.ts';

const progress = (): ReferrerProgress => ({
  referrerId: 'A',
  countedFriends: [],
  group: [],
  rewardsEarned: 0,
});
const order = (friendId: string, paidFen = 10000) => ({
  orderId: `o-${friendId}`,
  friendId,
  friendRegisteredAtMs: 0,
  placedAtMs: 1000,
  paidFen,
  productIds: ['P1'],
});

describe('推三返一 referral', () => {
  it('every third successful friend earns the fixed reward (seed 000: 3 friends → 50 yuan)', () => {
    const p = progress();
    const s = defaultSettings();
    expect(onFriendOrderSettled(p, order('B'), null, s, { spentFen: 0 }).grant).toBeNull();
    expect(onFriendOrderSettled(p, order('C'), null, s, { spentFen: 0 }).grant).toBeNull();
    const third = onFriendOrderSettled(p, order('D'), null, s, { spentFen: 0 });
    expect(third.grant).toMatchObject({
      userId: 'A',
      asset: 'cash',
      amount: 5000,
      dependsOnOrders: ['o-B', 'o-C', 'o-D'],
    });
  });

  it('counts each friend once', () => {
    const p = progress();
    const s = defaultSettings();
    onFriendOrderSettled(p, order('B'), null, s, { spentFen: 0 });
    expect(
      onFriendOrderSettled(p, { ...order('B'), orderId: 'o-B2' }, null, s, { spentFen: 0 }).counted,
    ).toBe(false);
  });

  it('返一: pct of the referrer’s own order, which the reward then also depends on', () => {
    const s = defaultSettings();
    s.referral.reward = { form: 'cash', pctOfOwnOrder: 100 };
    const p = progress();
    onFriendOrderSettled(p, order('B'), { orderId: 'own', paidFen: 16800 }, s, { spentFen: 0 });
    onFriendOrderSettled(p, order('C'), { orderId: 'own', paidFen: 16800 }, s, { spentFen: 0 });
    const r = onFriendOrderSettled(p, order('D'), { orderId: 'own', paidFen: 16800 }, s, {
      spentFen: 0,
    });
    expect(r.grant).toMatchObject({ amount: 16800, dependsOnOrders: ['o-B', 'o-C', 'o-D', 'own'] });
  });
});
