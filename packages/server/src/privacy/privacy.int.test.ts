import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpShopper, staffUser, testApp, type TestApp } from '../../test/app.ts';
import { verifyLedger } from '../ledger/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t.close());

describe('personal data', () => {
  it('exports everything held about me', async () => {
    const u = await signUpShopper(t);
    const admin = await staffUser(t, 'admin');
    await admin.request({
      method: 'POST',
      url: '/api/v1/admin/ledger/adjustments',
      payload: { userId: u.userId, asset: 'points', amount: 30, note: 'welcome' },
      headers: { 'idempotency-key': 'privacy-export-1' },
    });
    const res = await u.request({ method: 'GET', url: '/api/v1/me/export' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const doc = res.json();
    expect(doc.account.user).toMatchObject({ id: u.userId, phone: u.phone });
    expect(doc.account.consents[0]).toMatchObject({ document: 'privacy' });
    expect(doc.account.sessions.length).toBeGreaterThan(0);
    expect(doc.ledger.transfers).toEqual([
      expect.objectContaining({ amount: 30, reason: 'admin.adjustment' }),
    ]);
  });

  it('deletes an account: personal data anonymised, sessions ended, trade records kept', async () => {
    const u = await signUpShopper(t, { password: 'deleteme1' });
    const admin = await staffUser(t, 'admin');
    await admin.request({
      method: 'POST',
      url: '/api/v1/admin/ledger/adjustments',
      payload: { userId: u.userId, asset: 'cash', amount: 500, note: 'gift' },
      headers: { 'idempotency-key': 'privacy-delete-1' },
    });
    const wrong = await u.request({
      method: 'POST',
      url: '/api/v1/me/delete',
      payload: { confirm: 'DELETE', password: 'nope12345' },
    });
    expect(wrong.statusCode).toBe(401);
    const res = await u.request({
      method: 'POST',
      url: '/api/v1/me/delete',
      payload: { confirm: 'DELETE', password: 'deleteme1' },
    });
    expect(res.statusCode).toBe(200);
    expect((await u.request({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    const row = await t.deps.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', u.userId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      phone: null,
      password_hash: null,
      status: 'deleted',
      nickname: '已注销用户',
    });
    const transfers = await t.deps.db
      .selectFrom('ledger_transfers')
      .select('amount')
      .where('reason', '=', 'admin.adjustment')
      .execute();
    expect(transfers.map((x) => x.amount)).toContain(500);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: u.phone, password: 'deleteme1' },
    });
    expect(login.statusCode).toBe(401);
    // the phone number is free again
    const again = await signUpShopper(t, { phone: u.phone });
    expect(again.userId).not.toBe(u.userId);
  });

  it('needs the explicit confirmation word', async () => {
    const u = await signUpShopper(t);
    const res = await u.request({
      method: 'POST',
      url: '/api/v1/me/delete',
      payload: { confirm: 'yes' },
    });
    expect(res.statusCode).toBe(400);
  });
});
