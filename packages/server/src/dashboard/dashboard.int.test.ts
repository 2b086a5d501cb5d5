import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { signUpShopper, staffUser, testApp, type Caller, type TestApp } from '../../test/app.ts';
import { merchantAccount, transfer, userAccount } from '../ledger/index.ts';
import { inTx } from '../db/tx.ts';
import { addDays, dashboardCsv, fenToYuanText, localDate } from './metrics.ts';

// Real database (PGlite, or PostgreSQL with DATABASE_URL), real routes through app.inject.
describe('admin dashboard', () => {
  let t: TestApp;
  let admin: Caller;
  let a: Awaited<ReturnType<typeof signUpShopper>>;
  let b: Awaited<ReturnType<typeof signUpShopper>>;

  beforeAll(async () => {
    t = await testApp();
    admin = await staffUser(t, 'admin');
    a = await signUpShopper(t);
    b = await signUpShopper(t, { referralCode: a.referralCode });
    // Pin the sign-up instants: A on 1 March, B (A's friend) on 2 March, Shanghai time.
    await sql`update users set created_at = ${'2026-03-01T03:00:00Z'}, referred_at = null where id = ${a.userId}`.execute(
      t.deps.db,
    );
    await sql`update users set created_at = ${'2026-03-02T03:00:00Z'}, referred_at = ${'2026-03-02T03:00:00Z'} where id = ${b.userId}`.execute(
      t.deps.db,
    );
    // B paid one order on 2 March at 23:30 Shanghai (15:30Z): 100.00 by gateway + 20.00 from balance
    await t.deps.db
      .insertInto('orders')
      .values({
        order_no: 'T0001',
        user_id: b.userId,
        store_id: null,
        state: 'paid',
        items_fen: 12000,
        payable_fen: 10000,
        balance_fen: 2000,
        address: JSON.stringify({
          name: 'B',
          phone: '13900000000',
          province: '',
          city: '',
          district: '',
          detail: 'x',
        }),
        created_at: new Date('2026-03-02T15:20:00Z'),
        pay_deadline: new Date('2026-03-02T15:50:00Z'),
        paid_at: new Date('2026-03-02T15:30:00Z'),
        coupon_id: null,
        points_transfer_id: null,
        balance_transfer_id: null,
        payment_provider: 'sandbox',
      })
      .execute();
    // ledger: A has 50.00 available and a 30.00 pending referral reward
    await inTx(t.deps.db, async (tx) => {
      const at = t.clock.now();
      await transfer(tx, {
        debit: merchantAccount('cash'),
        credit: userAccount(a.userId, 'cash'),
        amount: 5000,
        reason: 'admin.adjustment',
        source: { type: 'admin', id: admin.userId },
        at,
      });
      await transfer(tx, {
        debit: merchantAccount('cash'),
        credit: userAccount(a.userId, 'cash'),
        amount: 3000,
        reason: 'reward.referral',
        source: { type: 'order', id: 1 },
        pending: true,
        at,
      });
    });
  });
  afterAll(() => t.close());

  it('counts users, sales, the referral funnel and rewards for a range', async () => {
    const res = await admin.request({
      method: 'GET',
      url: '/api/v1/admin/dashboard?from=2026-03-01&to=2026-03-03',
    });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-03',
      timezone: 'Asia/Shanghai',
      users: { total: 2, new: 2 },
      sales: { paidFen: 12000, refundedFen: 0, gmvFen: 12000, orders: 1, avgOrderFen: 12000 },
      referral: { signUps: 1, firstPurchases: 1 },
      rewards: { availableFen: 5000, withdrawnFen: 0 },
    });
    expect(d.daily.map((x: { date: string }) => x.date)).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
    ]);
    expect(d.daily[0]).toMatchObject({ newUsers: 1, orders: 0, gmvFen: 0 });
    // 23:30 in Shanghai is still 2 March there
    expect(d.daily[1]).toMatchObject({ newUsers: 1, orders: 1, gmvFen: 12000 });
    expect(d.daily[2]).toMatchObject({ newUsers: 0, orders: 0 });
  });

  it('defaults to the last 30 days ending today in the shop time zone', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/v1/admin/dashboard' });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    const today = localDate(t.clock.now(), 'Asia/Shanghai');
    expect(d.to).toBe(today);
    expect(d.from).toBe(addDays(today, -29));
    expect(d.daily).toHaveLength(30);
  });

  it('refuses a backwards or too long range, in the caller language', async () => {
    const back = await admin.request({
      method: 'GET',
      url: '/api/v1/admin/dashboard?from=2026-03-05&to=2026-03-01',
      headers: { 'accept-language': 'en' },
    });
    expect(back.statusCode).toBe(400);
    expect(back.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'The request is not valid',
    });
    const long = await admin.request({
      method: 'GET',
      url: '/api/v1/admin/dashboard?from=2024-01-01&to=2026-03-01',
    });
    expect(long.statusCode).toBe(400);
    const bad = await admin.request({
      method: 'GET',
      url: '/api/v1/admin/dashboard?from=2026-02-30&to=2026-03-01',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('exports the daily series as CSV', async () => {
    const res = await admin.request({
      method: 'GET',
      url: '/api/v1/admin/dashboard/export.csv?from=2026-03-01&to=2026-03-02',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain(
      'fanli-dashboard-2026-03-01-2026-03-02.csv',
    );
    const lines = res.body.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe(
      'date,new_users,active_users,orders,paid_fen,refunded_fen,gmv_fen,gmv_yuan',
    );
    expect(lines[2]).toMatch(/^2026-03-02,1,\d+,1,12000,0,12000,120\.00$/);
  });

  it("shows a user's referrer, friends (with first purchase) and balances to staff", async () => {
    const staff = await staffUser(t, 'staff');
    const res = await staff.request({
      method: 'GET',
      url: `/api/v1/admin/dashboard/users/${a.userId}`,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.referrer).toBeNull();
    expect(body.friends).toHaveLength(1);
    expect(body.friends[0]).toMatchObject({
      id: b.userId,
      firstPaidAt: '2026-03-02T15:30:00.000Z',
    });
    expect(body.balances.cash).toEqual({ available: 5000, pendingIn: 3000, pendingOut: 0 });
    const friend = await staff.request({
      method: 'GET',
      url: `/api/v1/admin/dashboard/users/${b.userId}`,
    });
    expect(friend.json().referrer).toMatchObject({ id: a.userId });
    const missing = await staff.request({
      method: 'GET',
      url: '/api/v1/admin/dashboard/users/999999',
    });
    expect(missing.statusCode).toBe(404);
  });

  it('is for staff and admins only', async () => {
    const shopper = await a.request({ method: 'GET', url: '/api/v1/admin/dashboard' });
    expect(shopper.statusCode).toBe(403);
    const anonymous = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/dashboard/export.csv',
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('dashboard helpers', () => {
  it('formats fen as yuan text without floats', () => {
    expect(fenToYuanText(0)).toBe('0.00');
    expect(fenToYuanText(5)).toBe('0.05');
    expect(fenToYuanText(123456)).toBe('1234.56');
    expect(fenToYuanText(-1999)).toBe('-19.99');
  });
  it('adds calendar days and reads local dates', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(localDate(new Date('2026-03-01T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-03-02');
  });
  it('writes CSV with a BOM and CRLF lines', () => {
    const csv = dashboardCsv({
      from: '2026-03-01',
      to: '2026-03-01',
      timezone: 'Asia/Shanghai',
      users: { total: 0, new: 0, active: 0 },
      sales: { orders: 0, paidFen: 0, refundedFen: 0, gmvFen: 0, avgOrderFen: 0 },
      referral: { signUps: 0, firstPurchases: 0 },
      rewards: {
        pendingFen: 0,
        availableFen: 0,
        withdrawnFen: 0,
        pendingPoints: 0,
        availablePoints: 0,
      },
      queue: { outstandingEntitlementFen: 0 },
      daily: [
        {
          date: '2026-03-01',
          newUsers: 1,
          activeUsers: 2,
          orders: 3,
          paidFen: 505,
          refundedFen: 100,
          gmvFen: 405,
        },
      ],
    });
    expect(csv).toBe(
      '\uFEFFdate,new_users,active_users,orders,paid_fen,refunded_fen,gmv_fen,gmv_yuan\r\n2026-03-01,1,2,3,505,100,405,4.05\r\n',
    );
  });
});
