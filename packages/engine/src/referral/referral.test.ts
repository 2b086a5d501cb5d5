import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings/defaults.ts';
import {
  firstQualifyingOwnOrder,
  onFriendOrderSettled,
  type ReferrerProgress,
} from './referral.ts';

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
  it('every third successful friend earns the fixed reward (3 friends → 50 yuan)', () => {
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

describe('the referrer’s own order (返一)', () => {
  const own = (orderId: string, paidFen: number, productIds: string[] = []) => ({
    orderId,
    paidFen,
    productIds,
  });

  it('is the oldest order that paid at least minOrderFen', () => {
    const r = { ...defaultSettings().referral, minOrderFen: 10000 };
    const orders = [own('a1', 9999), own('a2', 10000), own('a3', 50000)];
    expect(firstQualifyingOwnOrder(orders, r)?.orderId).toBe('a2');
  });

  it('must contain the product when one is set', () => {
    const r = { ...defaultSettings().referral, productId: 'P7' };
    const orders = [own('a1', 30000, ['P1']), own('a2', 100, ['P1', 'P7'])];
    expect(firstQualifyingOwnOrder(orders, r)?.orderId).toBe('a2');
    expect(firstQualifyingOwnOrder([own('a1', 30000, ['P1'])], r)).toBeNull();
  });

  it('is not limited by withinDays, which is about friends', () => {
    const r = { ...defaultSettings().referral, withinDays: 1 };
    expect(firstQualifyingOwnOrder([own('a1', 100)], r)?.orderId).toBe('a1');
  });
});
