import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import {
  balanceOf,
  gatewayAccount,
  merchantAccount,
  userAccount,
  verifyLedger,
} from '../ledger/index.ts';
import { setCommerceConfig } from '../orders/config.ts';
import { fund, idemKey, quickShopper, quickStaff } from '../orders/testing.ts';
import { installProvider, sandboxOf } from '../payment-flow/registry.ts';
import type { PaymentProvider } from '../payments/index.ts';

let t: TestApp;
let admin: Caller;
beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, {
    withdrawal: { minFen: 100, maxFen: 1_000_000, feePct: 1.5, minFeeFen: 10 },
  });
  admin = await quickStaff(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const withdraw = (c: Caller, amountFen: number, key = idemKey()) =>
  c.request({
    method: 'POST',
    url: '/api/v1/wallet/withdrawals',
    headers: { 'idempotency-key': key },
    payload: { amountFen },
  });
const cash = async (userId: number) => balanceOf(t.deps.db, userAccount(userId, 'cash'));

describe(`withdrawals on ${DB_KIND}`, () => {
  it('concurrent requests over the balance: only what the balance covers is reserved', async () => {
    const u = await quickShopper(t);
    await fund(t, u.userId, 'cash', 10_000);
    const results = await Promise.all(Array.from({ length: 25 }, () => withdraw(u, 3000)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(
      results.filter((r) => r.statusCode === 409 && r.json().code === 'INSUFFICIENT_FUNDS'),
    ).toHaveLength(22);
    expect(await cash(u.userId)).toEqual({ available: 1000, pendingIn: 0, pendingOut: 9000 });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('minimum, fee, idempotency, admin payout through the provider', async () => {
    const u = await quickShopper(t);
    await fund(t, u.userId, 'cash', 5000);
    expect((await withdraw(u, 99)).json().code).toBe('WITHDRAWAL_BELOW_MINIMUM');
    const key = idemKey();
    const first = await withdraw(u, 2000, key);
    const again = await withdraw(u, 2000, key);
    expect(first.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect(first.json()).toMatchObject({
      amountFen: 2000,
      feeFen: 30,
      payoutFen: 1970,
      status: 'pending',
    });
    expect((await cash(u.userId)).available).toBe(3000);
    // staff may list, only admins pay out; a shopper neither
    const staff = await quickStaff(t, 'staff');
    expect(
      (await staff.request({ method: 'GET', url: '/api/v1/admin/withdrawals?status=pending' }))
        .statusCode,
    ).toBe(200);
    const approveUrl = `/api/v1/admin/withdrawals/${first.json().id}/approve`;
    expect(
      (
        await staff.request({
          method: 'POST',
          url: approveUrl,
          headers: { 'idempotency-key': idemKey() },
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await u.request({
          method: 'POST',
          url: approveUrl,
          headers: { 'idempotency-key': idemKey() },
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
    const gatewayBefore = (await balanceOf(t.deps.db, gatewayAccount('sandbox'))).available;
    const merchantBefore = (await balanceOf(t.deps.db, merchantAccount('cash'))).available;
    const paid = await admin.request({
      method: 'POST',
      url: approveUrl,
      headers: { 'idempotency-key': idemKey() },
      payload: { note: 'ok' },
    });
    expect(paid.json()).toMatchObject({ status: 'paid' });
    expect(await cash(u.userId)).toEqual({ available: 3000, pendingIn: 0, pendingOut: 0 });
    expect((await balanceOf(t.deps.db, gatewayAccount('sandbox'))).available - gatewayBefore).toBe(
      1970,
    );
    expect((await balanceOf(t.deps.db, merchantAccount('cash'))).available - merchantBefore).toBe(
      30,
    );
    expect(
      (
        await admin.request({
          method: 'POST',
          url: approveUrl,
          headers: { 'idempotency-key': idemKey() },
          payload: {},
        })
      ).json().code,
    ).toBe('WITHDRAWAL_STATE_INVALID');
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('a provider failure voids the reservation; a rejection too', async () => {
    const u = await quickShopper(t);
    await fund(t, u.userId, 'cash', 5000);
    const sandbox = sandboxOf(t.deps)!;
    const failing: PaymentProvider = Object.assign(Object.create(sandbox) as PaymentProvider, {
      transfer: async () => ({
        ok: false as const,
        code: 'PROVIDER_REJECTED' as const,
        retryable: false,
        message: 'payee not verified',
      }),
    });
    installProvider(t.deps, 'sandbox', failing);
    try {
      const w = (await withdraw(u, 4000)).json();
      expect((await cash(u.userId)).available).toBe(1000);
      const res = await admin.request({
        method: 'POST',
        url: `/api/v1/admin/withdrawals/${w.id}/approve`,
        headers: { 'idempotency-key': idemKey() },
        payload: {},
      });
      expect(res.json()).toMatchObject({ status: 'failed' });
    } finally {
      installProvider(t.deps, 'sandbox', sandbox);
    }
    expect(await cash(u.userId)).toEqual({ available: 5000, pendingIn: 0, pendingOut: 0 });
    const w2 = (await withdraw(u, 5000)).json();
    expect(
      (
        await admin.request({
          method: 'POST',
          url: `/api/v1/admin/withdrawals/${w2.id}/reject`,
          payload: { note: 'no' },
        })
      ).json().status,
    ).toBe('rejected');
    expect(await cash(u.userId)).toEqual({ available: 5000, pendingIn: 0, pendingOut: 0 });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it('an unknown payout outcome is retried by the job with the same out_bill_no, paid once', async () => {
    const u = await quickShopper(t);
    await fund(t, u.userId, 'cash', 1000);
    const sandbox = sandboxOf(t.deps)!;
    const bills: string[] = [];
    let lose = true;
    const flaky: PaymentProvider = Object.assign(Object.create(sandbox) as PaymentProvider, {
      transfer: async (input: Parameters<PaymentProvider['transfer']>[0]) => {
        bills.push(input.outBillNo);
        const r = await sandbox.transfer(input); // the provider acts…
        return lose
          ? {
              ok: false as const,
              code: 'PROVIDER_TIMEOUT' as const,
              retryable: true,
              message: 'answer lost',
            }
          : r; // …but the answer is lost
      },
    });
    installProvider(t.deps, 'sandbox', flaky);
    try {
      const w = (await withdraw(u, 1000)).json();
      expect(
        (
          await admin.request({
            method: 'POST',
            url: `/api/v1/admin/withdrawals/${w.id}/approve`,
            headers: { 'idempotency-key': idemKey() },
            payload: {},
          })
        ).json().status,
      ).toBe('paying');
      lose = false;
      t.clock.advance(2 * 60_000);
      await t.jobs.runDue();
      const list = (await u.request({ method: 'GET', url: '/api/v1/wallet/withdrawals' })).json();
      expect(list.items[0]).toMatchObject({ id: w.id, status: 'paid', outBillNo: bills[0] });
      // the job found the bill by querying: no second transfer call
      expect(bills).toHaveLength(1);
    } finally {
      installProvider(t.deps, 'sandbox', sandbox);
    }
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });
});
