import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from './run.ts';

const dir = resolve(import.meta.dirname, '../../../../examples');
const load = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));

describe('examples/*.json', () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    it(`${name} runs and balances`, () => {
      const out = simulate(load(name));
      expect(out.ok).toBe(true);
      if (out.ok) expect(out.result.ledger.balanced).toBe(true);
    });
  }

  it('queue-rebate.json gives the documented result block', () => {
    const out = simulate(load('queue-rebate.json'));
    if (!out.ok) throw new Error('scenario failed');
    expect(out.result.users.A).toEqual({
      cashAvailableFen: 21840,
      cashPendingFen: 0,
      pointsAvailable: 0,
      pointsPending: 0,
      vouchers: 0,
    });
    expect(out.result.merchant).toEqual({
      revenueFen: 50400,
      rewardsPaidFen: 21840,
      outstandingEntitlementFen: 43680,
    });
    expect(out.result.ledger).toEqual({ balanced: true, transfers: 9 });
  });

  it('the worked numbers in the docs hold', () => {
    const r = (name: string) => {
      const out = simulate(load(name));
      if (!out.ok) throw new Error(name);
      return out.result;
    };
    expect(r('referral.json').users.A?.cashAvailableFen).toBe(5000);
    expect(r('commission.json').merchant).toMatchObject({ rewardsPaidFen: 1300 });
    expect(r('commission.json').ledger.transfers).toBe(11);
    expect(r('cashback-points.json').users.A?.pointsAvailable).toBe(22);
    expect(r('profit-pool.json').queues[0]?.entries[0]?.receivedFen).toBe(90000);
    expect(r('ledger-and-money.json').users.A?.cashAvailableFen).toBe(498);
    expect(r('ledger-and-money.json').ledger.transfers).toBe(6);
    expect(r('simulator.json').queues[0]?.entries[0]?.status).toBe('cancelled');
    const members = r('members.json');
    expect(members.members).toEqual({
      R: { level: 'gold', growth: 0 },
      A: { level: 'silver', growth: 263 },
    });
    expect(members.users.R?.cashAvailableFen).toBe(1680 + 1900);
    expect(members.users.A?.pointsAvailable).toBe(8 + 8);
    expect(members.merchant.revenueFen).toBe(16800 + 9500);
    expect(members.queues[1]?.entries[0]).toMatchObject({ order: 'o3', entitlementFen: 14250 });
  });
});
