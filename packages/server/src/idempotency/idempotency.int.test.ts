import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpShopper, staffUser, testApp, type Caller, type TestApp } from '../../test/app.ts';
import { balanceOf, userAccount, verifyLedger } from '../ledger/index.ts';
import { canonicalJson } from './idempotency.ts';

let t: TestApp;
let admin: Caller;
beforeAll(async () => {
  t = await testApp();
  admin = await staffUser(t, 'admin');
});
afterAll(async () => t.close());

const adjust = (key: string | undefined, payload: Record<string, unknown>) =>
  admin.request({
    method: 'POST',
    url: '/api/v1/admin/ledger/adjustments',
    payload,
    headers: key ? { 'idempotency-key': key } : {},
  });

describe('Idempotency-Key on money-moving POSTs', () => {
  it('requires the header', async () => {
    const u = await signUpShopper(t);
    const res = await adjust(undefined, {
      userId: u.userId,
      asset: 'cash',
      amount: 100,
      note: 'goodwill',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('replays the first answer for the same key and body, and moves money once', async () => {
    const u = await signUpShopper(t);
    const body = { userId: u.userId, asset: 'cash', amount: 500, note: 'goodwill' };
    const first = await adjust('replay-key-0001', body);
    expect(first.statusCode).toBe(201);
    // same meaning, different key order: still the same request
    const second = await adjust('replay-key-0001', {
      note: 'goodwill',
      amount: 500,
      asset: 'cash',
      userId: u.userId,
    });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect((await balanceOf(t.deps.db, userAccount(u.userId, 'cash'))).available).toBe(500);
  });

  it('answers 409 when the key is reused for another request', async () => {
    const u = await signUpShopper(t);
    await adjust('conflict-key-01', { userId: u.userId, asset: 'points', amount: 10, note: 'a' });
    const res = await adjust('conflict-key-01', {
      userId: u.userId,
      asset: 'points',
      amount: 11,
      note: 'a',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await balanceOf(t.deps.db, userAccount(u.userId, 'points'))).available).toBe(10);
  });

  it('runs 20 concurrent duplicates once', async () => {
    const u = await signUpShopper(t);
    const body = { userId: u.userId, asset: 'cash', amount: 300, note: 'concurrent' };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => adjust('concurrent-key-1', body)),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    expect(new Set(results.map((r) => r.json().transferId)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect((await balanceOf(t.deps.db, userAccount(u.userId, 'cash'))).available).toBe(300);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('does not store a failed attempt: the key may be retried after the cause is fixed', async () => {
    const u = await signUpShopper(t);
    const overdraw = await adjust('retry-after-fail', {
      userId: u.userId,
      asset: 'cash',
      amount: -100,
      note: 'claw back',
    });
    expect(overdraw.statusCode).toBe(409);
    expect(overdraw.json().code).toBe('INSUFFICIENT_FUNDS');
    await adjust('fund-it-first-1', { userId: u.userId, asset: 'cash', amount: 100, note: 'fund' });
    const retry = await adjust('retry-after-fail', {
      userId: u.userId,
      asset: 'cash',
      amount: -100,
      note: 'claw back',
    });
    expect(retry.statusCode).toBe(201);
    expect((await balanceOf(t.deps.db, userAccount(u.userId, 'cash'))).available).toBe(0);
  });

  it('canonical JSON ignores key order but not values', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(
      canonicalJson({ a: [1, { c: 3, d: 2 }], b: 1 }),
    );
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });
});
