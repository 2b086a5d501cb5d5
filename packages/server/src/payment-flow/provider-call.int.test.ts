import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { JobRunner } from '../jobs/runner.ts';
import { inTx } from '../db/tx.ts';
import { applyRefundEvent } from '../after-sale/service.ts';
import { applyTransferEvent } from '../wallet/withdrawals.ts';
import { verifyLedger } from '../ledger/index.ts';
import { setCommerceConfig } from '../orders/config.ts';
import {
  addressOf,
  buyAndPay,
  fund,
  idemKey,
  placeOrder,
  quickShopper,
  quickStaff,
  sandboxNotification,
  seedSku,
} from '../orders/testing.ts';
import { CLEARING_BATCH, clearingJobs, JOB_CLEARING } from '../rules/clearing.ts';
import type { PaymentProvider } from '../payments/index.ts';
import { installProvider, sandboxOf } from './registry.ts';
import { POLL_LIMIT } from './provider-call.ts';

let t: TestApp;
let staff: Caller;
let admin: Caller;
let skuId = 0;
beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, {
    withdrawal: { minFen: 100, maxFen: 1_000_000, feePct: 0, minFeeFen: 0 },
  });
  staff = await quickStaff(t, 'staff');
  admin = await quickStaff(t, 'admin');
  skuId = (await seedSku(t, { priceFen: 5000, stock: 10_000 })).skuId;
});
afterAll(async () => t.close());

const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Method = 'refund' | 'queryTransfer' | 'transfer' | 'queryPayment';

/** The key a call is about: out_refund_no, out_bill_no or out_trade_no. */
const keyOf = (arg: unknown) =>
  typeof arg === 'string'
    ? arg
    : String(
        (arg as { outRefundNo?: string; outBillNo?: string }).outRefundNo ??
          (arg as { outBillNo?: string }).outBillNo,
      );

/**
 * The sandbox with some methods replaced: `answer` decides what they return (undefined:
 * what the sandbox says), and while `slow` is set a call sleeps 5 s first. Every call is
 * counted by method and key, and a slow one logged with when it returned.
 */
function fakeProvider(answer: Partial<Record<Method, () => unknown>>) {
  const sandbox = sandboxOf(t.deps)!;
  const events: string[] = [];
  const calls: string[] = [];
  const state = { slow: false };
  const overrides = Object.fromEntries(
    (Object.keys(answer) as Method[]).map((m) => [
      m,
      async (...args: unknown[]) => {
        calls.push(`${m}:${keyOf(args[0])}`);
        const slow = state.slow;
        if (slow) {
          events.push(`${m} called`);
          await sleep(5000);
        }
        const result =
          answer[m]!() ??
          (sandbox[m] as (...a: unknown[]) => Promise<unknown>).apply(sandbox, args);
        if (slow) events.push(`${m} returned`);
        return result;
      },
    ]),
  );
  installProvider(
    t.deps,
    'sandbox',
    Object.assign(Object.create(sandbox) as PaymentProvider, overrides),
  );
  return {
    events,
    state,
    count: (m: Method, key: string) => calls.filter((c) => c === `${m}:${key}`).length,
    restore: () => installProvider(t.deps, 'sandbox', sandbox),
  };
}
const processingRefund = () => ({
  ok: true,
  outRefundNo: 'x',
  providerRefundNo: null,
  status: 'processing',
  refundFen: 0,
});
const noAnswer = () => ({
  ok: false,
  code: 'PROVIDER_TIMEOUT',
  retryable: true,
  message: 'no answer in time',
});

async function paidOrder(): Promise<{ buyer: Caller; orderId: number }> {
  const buyer = await quickShopper(t);
  const orderId = await buyAndPay(t, buyer, {
    items: [{ skuId, qty: 1 }],
    addressId: await addressOf(buyer),
  });
  return { buyer, orderId };
}

async function approvedRefund(): Promise<number> {
  const { buyer, orderId } = await paidOrder();
  const order = (await buyer.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })).json();
  const asked = await buyer.request({
    method: 'POST',
    url: `/api/v1/orders/${orderId}/after-sales`,
    headers: { 'idempotency-key': idemKey() },
    payload: { kind: 'refund', reason: 'r', lines: [{ lineId: order.lines[0].id, qty: 1 }] },
  });
  expect(asked.statusCode, asked.body).toBe(201);
  const id = asked.json().id as number;
  const approved = await staff.request({
    method: 'POST',
    url: `/api/v1/admin/after-sales/${id}/approve`,
    headers: { 'idempotency-key': idemKey() },
    payload: {},
  });
  expect(approved.json().status).toBe('refunding');
  return id;
}

async function approvedWithdrawal(): Promise<number> {
  const u = await quickShopper(t);
  await fund(t, u.userId, 'cash', 10_000);
  const w = await u.request({
    method: 'POST',
    url: '/api/v1/wallet/withdrawals',
    headers: { 'idempotency-key': idemKey() },
    payload: { amountFen: 3000 },
  });
  expect(w.statusCode, w.body).toBe(201);
  const id = w.json().id as number;
  const approved = await admin.request({
    method: 'POST',
    url: `/api/v1/admin/withdrawals/${id}/approve`,
    headers: { 'idempotency-key': idemKey() },
    payload: {},
  });
  expect(approved.json().status).toBe('paying');
  return id;
}

/** Runs the due jobs while the provider is slow; meanwhile a health check and a whole checkout. */
async function whileAJobWaitsOnTheProvider(fake: ReturnType<typeof fakeProvider>) {
  fake.state.slow = true;
  let ran = false;
  const jobs = t.jobs.runDue().finally(() => (ran = true));
  while (!ran && !fake.events.some((e) => e.endsWith('called'))) await sleep(10);
  expect(fake.events.some((e) => e.endsWith('called'))).toBe(true);
  const healthz = t.app.inject({ method: 'GET', url: '/healthz' }).then((r) => {
    expect(r.statusCode).toBe(200);
    fake.events.push('healthz answered');
  });
  const checkout = paidOrder().then(() => fake.events.push('checkout paid'));
  await Promise.all([healthz, checkout, jobs]);
  fake.state.slow = false;
  return fake.events;
}

describe(`provider calls outside transactions (${DB_KIND})`, () => {
  it('a refund poll waiting 5 s on the provider holds up neither /healthz nor a checkout', async () => {
    const fake = fakeProvider({ refund: processingRefund });
    let id = 0;
    try {
      id = await approvedRefund();
      t.clock.advance(2 * 60_000);
      const events = await whileAJobWaitsOnTheProvider(fake);
      expect(events.indexOf('healthz answered')).toBeLessThan(events.indexOf('refund returned'));
      expect(events.indexOf('checkout paid')).toBeLessThan(events.indexOf('refund returned'));
      expect(events[0]).toBe('refund called');
    } finally {
      fake.restore();
    }
    const row = await t.deps.db
      .selectFrom('after_sales')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('refunding');
  }, 30_000);

  it('a payout poll waiting 5 s on the provider holds up neither /healthz nor a checkout', async () => {
    const pending = fakeProvider({ queryTransfer: noAnswer });
    try {
      await approvedWithdrawal();
      t.clock.advance(2 * 60_000);
      const events = await whileAJobWaitsOnTheProvider(pending);
      expect(events.indexOf('checkout paid')).toBeLessThan(
        events.indexOf('queryTransfer returned'),
      );
      expect(events.indexOf('healthz answered')).toBeLessThan(
        events.indexOf('queryTransfer returned'),
      );
    } finally {
      pending.restore();
    }
  }, 30_000);

  it('payment checks (reconcile, the cancel at the deadline) waiting 5 s hold up nothing', async () => {
    const buyer = await quickShopper(t);
    const addressId = await addressOf(buyer);
    const [paid, unpaid] = [
      (await placeOrder(buyer, { items: [{ skuId, qty: 1 }], addressId })).json().id as number,
      (await placeOrder(buyer, { items: [{ skuId, qty: 1 }], addressId })).json().id as number,
    ];
    await sandboxNotification(t, buyer, paid); // paid at the provider; the notification is lost
    const started = await buyer.request({
      method: 'POST',
      url: `/api/v1/orders/${unpaid}/pay`,
      payload: { provider: 'sandbox' },
    });
    expect(started.statusCode, started.body).toBe(200);
    const stateOf = async (id: number) =>
      (await buyer.request({ method: 'GET', url: `/api/v1/orders/${id}` })).json().state;
    const fake = fakeProvider({ queryPayment: () => undefined });
    try {
      t.clock.advance(6 * 60_000); // the first reconcile is due
      const reconciling = await whileAJobWaitsOnTheProvider(fake);
      expect(reconciling.indexOf('checkout paid')).toBeLessThan(
        reconciling.indexOf('queryPayment returned'),
      );
      expect(await stateOf(paid)).toBe('paid');
      fake.events.length = 0;
      t.clock.advance(2 * HOUR); // the pay deadline passed: the cancel job asks last
      const cancelling = await whileAJobWaitsOnTheProvider(fake);
      expect(cancelling.indexOf('checkout paid')).toBeLessThan(
        cancelling.indexOf('queryPayment returned'),
      );
    } finally {
      fake.restore();
    }
    expect(await stateOf(unpaid)).toBe('cancelled');
  }, 60_000);
});

describe(`polls end in manual review (${DB_KIND})`, () => {
  /** Moves time on and runs the jobs, poll by poll, until the operation leaves its state. */
  async function pollUntilNot(state: string, read: () => Promise<string>) {
    for (let i = 0; i < 3 * POLL_LIMIT && (await read()) === state; i++) {
      t.clock.advance(5 * HOUR);
      await t.jobs.runDue();
    }
    return read();
  }

  it(`a refund the provider keeps "processing" goes to manual review after ${POLL_LIMIT} polls; an operator rechecks it`, async () => {
    const fake = fakeProvider({ refund: processingRefund });
    try {
      const id = await approvedRefund();
      const status = async () =>
        (
          await staff.request({
            method: 'GET',
            url: `/api/v1/admin/after-sales?status=manual_review`,
          })
        )
          .json()
          .items.some((a: { id: number }) => a.id === id)
          ? 'manual_review'
          : 'refunding';
      const { out_refund_no: key } = await t.deps.db
        .selectFrom('after_sales')
        .select('out_refund_no')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(fake.count('refund', key!)).toBe(1); // the call at approval
      expect(await pollUntilNot('refunding', status)).toBe('manual_review');
      expect(fake.count('refund', key!)).toBe(1 + POLL_LIMIT);
      // nothing polls it any more
      t.clock.advance(48 * HOUR);
      await t.jobs.runDue();
      expect(fake.count('refund', key!)).toBe(1 + POLL_LIMIT);
      // the operator checked the provider's portal: the refund went through; ask again
      fake.restore();
      const rechecked = await staff.request({
        method: 'POST',
        url: `/api/v1/admin/after-sales/${id}/recheck`,
      });
      expect(rechecked.statusCode, rechecked.body).toBe(200);
      expect(rechecked.json().status).toBe('refunded');
      const again = await staff.request({
        method: 'POST',
        url: `/api/v1/admin/after-sales/${id}/recheck`,
      });
      expect(again.json().code).toBe('AFTER_SALE_STATE_INVALID');
    } finally {
      fake.restore();
    }
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });

  it(`a payout with no provider answer goes to manual review after ${POLL_LIMIT} polls; a recheck starts a fresh round`, async () => {
    const fake = fakeProvider({ queryTransfer: noAnswer });
    try {
      const id = await approvedWithdrawal();
      const status = async () =>
        (
          await t.deps.db
            .selectFrom('withdrawals')
            .select('status')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).status;
      const { out_bill_no: key } = await t.deps.db
        .selectFrom('withdrawals')
        .select('out_bill_no')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(fake.count('queryTransfer', key)).toBe(1); // the call at approval
      expect(await pollUntilNot('paying', status)).toBe('manual_review');
      expect(fake.count('queryTransfer', key)).toBe(1 + POLL_LIMIT);
      const listed = await admin.request({
        method: 'GET',
        url: '/api/v1/admin/withdrawals?status=manual_review',
      });
      expect(listed.json().items.map((w: { id: number }) => w.id)).toContain(id);
      expect(listed.json().items[0].failure).toMatch(/polls/);
      // still no answer: the recheck asks once, then a fresh round of polls runs out again
      const rechecked = await admin.request({
        method: 'POST',
        url: `/api/v1/admin/withdrawals/${id}/recheck`,
      });
      expect(rechecked.json().status).toBe('paying');
      expect(fake.count('queryTransfer', key)).toBe(2 + POLL_LIMIT);
      expect(await pollUntilNot('paying', status)).toBe('manual_review');
      expect(fake.count('queryTransfer', key)).toBe(2 + 2 * POLL_LIMIT);
    } finally {
      fake.restore();
    }
    // the reservation is still held: money is neither paid nor released without an answer
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });
});

describe(`a final notification settles what waits in manual review (${DB_KIND})`, () => {
  it('a refund and a payout in manual review are settled by the provider’s late notification', async () => {
    const fake = fakeProvider({ refund: processingRefund, queryTransfer: noAnswer });
    let [refundId, payoutId] = [0, 0];
    try {
      [refundId, payoutId] = [await approvedRefund(), await approvedWithdrawal()];
      for (let i = 0; i < POLL_LIMIT; i++) {
        t.clock.advance(5 * HOUR);
        await t.jobs.runDue();
      }
      const refund = await t.deps.db
        .selectFrom('after_sales')
        .selectAll()
        .where('id', '=', refundId)
        .executeTakeFirstOrThrow();
      const payout = await t.deps.db
        .selectFrom('withdrawals')
        .selectAll()
        .where('id', '=', payoutId)
        .executeTakeFirstOrThrow();
      expect([refund.status, payout.status]).toEqual(['manual_review', 'manual_review']);
      await inTx(t.deps.db, async (tx) => {
        await applyRefundEvent(
          tx,
          {
            kind: 'refunded',
            outTradeNo: 'x',
            outRefundNo: refund.out_refund_no,
            providerTradeNo: null,
            providerRefundNo: 'R1',
            status: 'succeeded',
            refundFen: refund.refund_fen,
            totalRefundedFen: null,
          },
          t.clock.now(),
        );
        await applyTransferEvent(
          tx,
          {
            kind: 'transfer',
            outBillNo: payout.out_bill_no,
            providerBillNo: 'B1',
            state: 'succeeded',
            amountFen: payout.payout_fen,
          },
          t.clock.now(),
        );
      });
    } finally {
      fake.restore();
    }
    const statusOf = (table: 'after_sales' | 'withdrawals', id: number) =>
      t.deps.db
        .selectFrom(table)
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
        .then((r) => r.status);
    expect(await statusOf('after_sales', refundId)).toBe('refunded');
    expect(await statusOf('withdrawals', payoutId)).toBe('paid');
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });
});

describe(`clearing in batches (${DB_KIND})`, () => {
  it('commits queue by queue, bounded per transaction; a crash mid-way resumes and clears nothing twice', async () => {
    const pub = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/rules',
      payload: {
        settings: {
          referral: { enabled: false },
          queueRebate: {
            enabled: true,
            queue: 'product',
            extractPct: 10,
            entitlementPct: 100,
            clearing: 'daily',
          },
        },
      },
    });
    expect(pub.statusCode, pub.body).toBe(201);
    const { buyer, orderId } = await paidOrder();
    // 30 small queues and one longer than a batch, all joined before the clearing instant
    const big = CLEARING_BATCH * 2 + 100;
    await sql`
      insert into queue_entries
        (queue_id, seq, order_id, user_id, entitlement_fen, status, day_key, units, created_at)
      select q, n, ${orderId}, ${buyer.userId}, 100, 'waiting', '2026-03-01', '[]'::jsonb, ${t.clock.now()}
        from (select 'clr-' || lpad(i::text, 2, '0') as q, n
                from generate_series(1, 30) i, generate_series(1, 3) n
              union all
              select 'clr-zz', n from generate_series(1, ${big}) n) s`.execute(t.deps.db);
    const waitingQueues = async () =>
      (
        await t.deps.db
          .selectFrom('queue_entries')
          .select('queue_id')
          .distinct()
          .where('status', '=', 'waiting')
          .execute()
      ).length;
    const queues = await waitingQueues();
    const waitingIn = async () =>
      Object.fromEntries(
        (
          await t.deps.db
            .selectFrom('queue_entries')
            .select(['queue_id', (eb) => eb.fn.countAll<number>().as('n')])
            .where('queue_id', 'like', 'clr-%')
            .where('status', '=', 'waiting')
            .groupBy('queue_id')
            .execute()
        ).map((r) => [r.queue_id, Number(r.n)]),
      );
    t.clock.advance(24 * HOUR);
    const real = clearingJobs()[JOB_CLEARING]!;
    const clearedQueues = async () =>
      (
        await t.deps.db
          .selectFrom('queue_entries')
          .select('queue_id')
          .distinct()
          .where('queue_id', 'like', 'clr-%')
          .where('status', '=', 'cleared')
          .execute()
      ).length;
    let runs = 0;
    const crashing = new JobRunner({
      db: t.deps.db,
      clock: t.clock,
      handlers: {
        [JOB_CLEARING]: async (tx, job, now) => {
          const next = await real(tx, job, now);
          if (++runs === 1 || runs === 5) throw new Error('the process died before COMMIT');
          return next;
        },
      },
    });
    expect(await crashing.runOne()).toBe(true); // the first batch is lost with a crash
    expect(await clearedQueues()).toBe(0);
    // someone joins a queue after the clearing instant, before the retry
    await sql`
      insert into queue_entries
        (queue_id, seq, order_id, user_id, entitlement_fen, status, day_key, units, created_at)
      values ('clr-01', 99, ${orderId}, ${buyer.userId}, 100, 'waiting', '2026-03-02', '[]'::jsonb, ${t.clock.now()})`.execute(
      t.deps.db,
    );
    t.clock.advance(60_000);
    for (let i = 1; i <= 3; i++) {
      expect(await crashing.runOne()).toBe(true);
      // each run committed exactly one more queue, seen from outside the job
      expect(await clearedQueues()).toBe(i);
    }
    expect(await crashing.runOne()).toBe(true); // and another batch lost with a crash
    expect(await clearedQueues()).toBe(3);
    // a fresh process picks the job up after its retry delay and finishes the work
    t.clock.advance(60_000);
    let resumed = 0;
    const fresh = new JobRunner({
      db: t.deps.db,
      clock: t.clock,
      handlers: {
        [JOB_CLEARING]: async (tx, job, now) => (resumed++, real(tx, job, now)),
      },
    });
    await fresh.runDue(1000);
    // the queues left, the long one in 3 batches, and the run that schedules the next
    expect(resumed).toBe(queues - 3 + 2 + 1);
    expect(await waitingIn()).toEqual({ 'clr-01': 1 });
    const cleared = await t.deps.db
      .selectFrom('queue_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('queue_id', 'like', 'clr-%')
      .where('status', '=', 'cleared')
      .executeTakeFirstOrThrow();
    expect(Number(cleared.n)).toBe(90 + big);
    const clearings = await t.deps.db
      .selectFrom('jobs')
      .select(['status', 'run_at'])
      .where('kind', '=', JOB_CLEARING)
      .orderBy('id')
      .execute();
    expect(clearings.filter((j) => j.status === 'queued')).toHaveLength(1);
    expect(clearings.filter((j) => j.status === 'dead')).toHaveLength(0);
  });
});
