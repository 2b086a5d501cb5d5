import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, type TestApp } from '../app.ts';
import { DB_KIND, freshDatabase } from '../db.ts';
import { buildApp } from '../../src/app/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ConsoleSmsProvider, MemorySmsProvider, type SmsProvider } from '../../src/auth/sms.ts';
import { ManualClock } from '../../src/clock/clock.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { MODULES } from '../../src/app/modules.ts';
import { allJobHandlers, buildRegistry, composeDeps } from '../../src/app/registry.ts';
import type { AppDeps } from '../../src/http/deps.ts';
import { setCommerceConfig } from '../../src/orders/config.ts';
import { verifyLedger } from '../../src/ledger/index.ts';
import { buyAndPay, fund, idemKey, quickStaff, seedSku } from '../../src/orders/testing.ts';
import { maintenanceJobs } from '../../src/jobs/maintenance.ts';
import { inTx } from '../../src/db/tx.ts';
import type { Job } from '../../src/db/schema.ts';

/**
 * Privacy, over one whole shopper's life with the server logging at `trace`: sign-up,
 * sign-in, an address, an order paid through a signed notification, shipped, completed,
 * an after-sale, a withdrawal, the export and the deletion.
 * - the export holds every row of every table that names the user;
 * - deletion anonymises the person and keeps the trade and ledger records;
 * - the logs never hold a phone number, password, token, CSRF token or one-time code.
 */
let t: TestApp;
const lines: string[] = [];
const PHONE = '13712340001';
const SHIP_PHONE = '13698765432';
const PASSWORD = 'Priv4cy-Secret!';
const STREET = '福田区 隐私路 42 号';
const secrets: string[] = [PHONE, SHIP_PHONE, PASSWORD];
let userId = 0;
let orderId = 0;
/** a withdrawal still waiting for review when the account is deleted */
let inFlightId = 0;

beforeAll(async () => {
  const database = await freshDatabase();
  const config = loadConfig({}, { logLevel: 'trace' });
  // the SMS provider a deployment without an SMS gateway runs, printing where the logs go;
  // the test reads the codes as the phones would receive them
  const sms = new MemorySmsProvider();
  const printed = new ConsoleSmsProvider({ write: (line) => lines.push(line) });
  const printing: SmsProvider = {
    name: printed.name,
    send: async (phone, text) => {
      await sms.send(phone, text);
      await printed.send(phone, text);
    },
  };
  const clock = new ManualClock(new Date('2026-03-01T02:00:00Z'));
  const deps: AppDeps = composeDeps(
    { db: database.db, config, clock, sms: printing },
    buildRegistry(MODULES),
  );
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = await buildApp(deps, { logger: { stream, level: 'trace' }, web: false });
  await app.ready();
  const jobs = new JobRunner({ db: deps.db, clock, handlers: allJobHandlers(deps) });
  t = {
    app,
    deps,
    database: { ...database, db: deps.db },
    sms,
    clock,
    jobs,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
  setCommerceConfig(deps, { payMinutes: 30 });
});
afterAll(async () => t.close());

describe(`privacy over a whole flow on ${DB_KIND}`, () => {
  it('runs a shopper’s whole life through the API', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone: PHONE, purpose: 'register' },
    });
    const code = t.sms.lastCode(PHONE)!;
    secrets.push(code);
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'user-agent': 'PrivacyPhone/1.0' },
      payload: {
        phone: PHONE,
        code,
        password: PASSWORD,
        nickname: '隐私测试',
        privacyVersion: t.deps.config.privacyPolicyVersion,
      },
    });
    expect(reg.statusCode, reg.body).toBe(200);
    const { token, csrfToken, user } = reg.json() as {
      token: string;
      csrfToken: string;
      user: { id: number };
    };
    userId = user.id;
    secrets.push(token, csrfToken);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: PHONE, password: PASSWORD },
    });
    const session = login.json() as { token: string; csrfToken: string };
    secrets.push(session.token, session.csrfToken);
    // a browser-style request too: cookie and CSRF header
    const cookie = String(login.headers['set-cookie']);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/cart/items',
      headers: { cookie, 'x-csrf-token': session.csrfToken },
      payload: { skuId: 1, qty: 1 },
    });
    const me = callerFor(t.app, userId, session.token);
    const admin = await quickStaff(t, 'admin');
    const { skuId } = await seedSku(t, { priceFen: 8800, stock: 10 });
    const addr = await me.request({
      method: 'POST',
      url: '/api/v1/addresses',
      payload: {
        name: '收件人甲',
        phone: SHIP_PHONE,
        province: '广东',
        city: '深圳',
        detail: STREET,
      },
    });
    const addressId = (addr.json() as { id: number }).id;
    await me.request({ method: 'POST', url: '/api/v1/cart/items', payload: { skuId, qty: 1 } });
    orderId = await buyAndPay(t, me, { items: [{ skuId, qty: 2 }], addressId, note: '门口放着' });
    await admin.request({
      method: 'POST',
      url: `/api/v1/admin/orders/${orderId}/ship`,
      payload: { carrier: 'SF', trackingNo: 'SF777' },
    });
    await me.request({ method: 'POST', url: `/api/v1/orders/${orderId}/complete` });
    const order = (
      await me.request({ method: 'GET', url: `/api/v1/orders/${orderId}` })
    ).json() as {
      lines: { id: number }[];
    };
    await me.request({
      method: 'POST',
      url: `/api/v1/orders/${orderId}/reviews`,
      payload: { lineId: order.lines[0]!.id, rating: 5, content: '很好 privacy review' },
    });
    await me.request({
      method: 'POST',
      url: `/api/v1/orders/${orderId}/after-sales`,
      headers: { 'idempotency-key': idemKey() },
      payload: {
        kind: 'refund',
        reason: '尺码不合适',
        lines: [{ lineId: order.lines[0]!.id, qty: 1 }],
      },
    });
    await fund(t, userId, 'cash', 20_000);
    const w = await me.request({
      method: 'POST',
      url: '/api/v1/wallet/withdrawals',
      headers: { 'idempotency-key': idemKey() },
      payload: { amountFen: 10_000, realName: '王小隐', account: 'alipay-privacy@example.com' },
    });
    expect(w.statusCode, w.body).toBeLessThan(300);
    secrets.push('alipay-privacy@example.com');
    // paid out before the account is deleted (a payout in flight keeps its payee)
    await admin.request({
      method: 'POST',
      url: `/api/v1/admin/withdrawals/${(w.json() as { id: number }).id}/approve`,
      headers: { 'idempotency-key': idemKey() },
      payload: {},
    });
    t.clock.advance(10 * 60_000);
    await me.request({ method: 'GET', url: `/api/v1/products?q=${SHIP_PHONE}` });
    await me.request({ method: 'GET', url: '/api/v1/wallet' });
    await t.jobs.runDue();
    // a second withdrawal, still waiting for review when the account is deleted
    const second = await me.request({
      method: 'POST',
      url: '/api/v1/wallet/withdrawals',
      headers: { 'idempotency-key': idemKey() },
      payload: { amountFen: 5_000, realName: '王小隐', account: 'alipay-privacy@example.com' },
    });
    expect(second.statusCode, second.body).toBeLessThan(300);
    inFlightId = (second.json() as { id: number }).id;
    // a goodwill credit from staff (audited against the account) and a member level
    const adjust = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/ledger/adjustments',
      headers: { 'idempotency-key': idemKey() },
      payload: { userId, asset: 'points', amount: 30, note: '补偿' },
    });
    expect(adjust.statusCode, adjust.body).toBe(201);
    await t.deps.db
      .updateTable('users')
      .set({ member_level: 'gold', growth: 1234 })
      .where('id', '=', userId)
      .execute();
  });

  it('the export holds every row of every table that names the user', async () => {
    const me = await fresh();
    const exp = await me.request({ method: 'GET', url: '/api/v1/me/export' });
    expect(exp.statusCode).toBe(200);
    const text = exp.body;
    const tables = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
       where table_schema = 'public' and column_name in ('user_id', 'referrer_id')
       order by table_name`.execute(t.deps.db);
    const SECRET_COLUMNS = new Set(['token_hash', 'csrf_token', 'password_hash', 'code_hash']);
    const missing: string[] = [];
    let checked = 0;
    for (const { table_name: table, column_name: col } of tables.rows) {
      if (table === 'users') continue; // the account section, checked below
      const rows = (
        await sql
          .raw<Record<string, unknown>>(`select * from "${table}" where "${col}" = ${userId}`)
          .execute(t.deps.db)
      ).rows;
      for (const row of rows) {
        checked++;
        const values = Object.entries(row).filter(
          ([k, v]) => !SECRET_COLUMNS.has(k) && typeof v === 'string' && v.length >= 4,
        );
        const found = values.filter(([, v]) => text.includes(JSON.stringify(v).slice(1, -1)));
        // a row is in the export when its texts are; rows with no text at all are counted by id
        const id = row.id as number | undefined;
        if (values.length ? found.length < values.length : id && !text.includes(`"id":${id}`))
          missing.push(`${table}: ${JSON.stringify(values.filter((v) => !found.includes(v)))}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(8);
    const doc = exp.json() as {
      account: {
        user: { phone: string; member_level: string; growth: number };
        audit: { action: string; object_id: string; detail: { note?: string }; ip: unknown }[];
      };
    };
    expect(doc.account.user).toMatchObject({ phone: PHONE, member_level: 'gold', growth: 1234 });
    // what the audit log records about the account, without the staff member's address
    expect(doc.account.audit).toContainEqual(
      expect.objectContaining({
        action: 'ledger.adjust',
        object_id: String(userId),
        detail: expect.objectContaining({ note: '补偿' }),
        ip: null,
      }),
    );
    expect(text).toContain(STREET);
    // secrets of the account are never exported (codes, tokens, CSRF tokens)
    for (const s of secrets.slice(3, -1)) expect(text).not.toContain(s);
    expect(text).not.toContain(PASSWORD);
  });

  it('deletion anonymises the person and keeps trade and ledger records', async () => {
    const before = await counts();
    const me = await fresh();
    const del = await me.request({
      method: 'POST',
      url: '/api/v1/me/delete',
      payload: { confirm: 'DELETE', password: PASSWORD },
    });
    expect(del.statusCode, del.body).toBe(200);
    const after = await counts();
    expect(after).toMatchObject({
      orders: before.orders,
      order_lines: before.order_lines,
      payments: before.payments,
      ledger_transfers: before.ledger_transfers,
      after_sales: before.after_sales,
      withdrawals: before.withdrawals,
    });
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
    // the withdrawal in flight keeps its payee until it finishes: it is paid after all…
    const payeeOf = async () =>
      JSON.stringify(
        (
          await t.deps.db
            .selectFrom('withdrawals')
            .select(['payee', 'status'])
            .where('id', '=', inFlightId)
            .executeTakeFirstOrThrow()
        ).payee,
      );
    expect(await payeeOf()).toContain('王小隐');
    const admin = await quickStaff(t, 'admin');
    const approved = await admin.request({
      method: 'POST',
      url: `/api/v1/admin/withdrawals/${inFlightId}/approve`,
      headers: { 'idempotency-key': idemKey() },
      payload: {},
    });
    expect(approved.statusCode, approved.body).toBe(200);
    t.clock.advance(10 * 60_000);
    await t.jobs.runDue();
    const paid = await t.deps.db
      .selectFrom('withdrawals')
      .select('status')
      .where('id', '=', inFlightId)
      .executeTakeFirstOrThrow();
    expect(paid.status).toBe('paid');
    // …and then no longer names the payee
    expect(await payeeOf()).not.toContain('王小隐');
    expect(await payeeOf()).not.toContain('alipay-privacy');
    // no login code for the phone is kept, and the audit log keeps no address of theirs
    const codes = await t.deps.db
      .selectFrom('otp_codes')
      .select('id')
      .where('phone', '=', PHONE)
      .execute();
    expect(codes).toEqual([]);
    const audited = await t.deps.db
      .selectFrom('audit_log')
      .select(['action', 'ip'])
      .where('actor_id', '=', userId)
      .execute();
    expect(audited).toContainEqual({ action: 'account.delete', ip: null });
    expect(audited.filter((r) => r.ip !== null)).toEqual([]);
    // the audit log stays append-only for everything else
    await expect(
      sql`update audit_log set action = 'x' where actor_id = ${userId}`.execute(t.deps.db),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`delete from audit_log where actor_id = ${userId}`.execute(t.deps.db),
    ).rejects.toThrow(/append-only/);
    // nothing that names the person is left in any table that points at them
    const tables = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
       where table_schema = 'public' and column_name = 'user_id'`.execute(t.deps.db);
    const left: string[] = [];
    for (const { table_name: table } of [
      ...tables.rows,
      { table_name: 'users', column_name: 'id' },
    ]) {
      const col = table === 'users' ? 'id' : 'user_id';
      const rows = (
        await sql
          .raw<Record<string, unknown>>(`select * from "${table}" where "${col}" = ${userId}`)
          .execute(t.deps.db)
      ).rows;
      const dump = JSON.stringify(rows);
      for (const pii of [
        PHONE,
        SHIP_PHONE,
        STREET,
        '收件人甲',
        '隐私测试',
        'PrivacyPhone',
        '王小隐',
        '门口放着',
      ])
        if (dump.includes(pii)) left.push(`${table}: ${pii}`);
    }
    expect(left).toEqual([]);
  });

  it('expired login codes are cleared away whenever a new code is sent', async () => {
    const [early, late] = ['13712340002', '13712340003'];
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone: early, purpose: 'register' },
    });
    const codesOf = (phone: string) =>
      t.deps.db.selectFrom('otp_codes').select('id').where('phone', '=', phone).execute();
    expect(await codesOf(early)).toHaveLength(1);
    t.clock.advance(11 * 60_000); // past the 10-minute life of a code
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone: late, purpose: 'register' },
    });
    expect(await codesOf(early)).toEqual([]);
    expect(await codesOf(late)).toHaveLength(1);
    // and by the hourly maintenance job, when no new code comes
    t.clock.advance(11 * 60_000);
    const prune = maintenanceJobs(t.deps)['maintenance.pruneRateLimits']!;
    await inTx(t.deps.db, (tx) => prune(tx, {} as Job, t.clock.now()));
    expect(await codesOf(late)).toEqual([]);
  });

  it('the logs of the whole flow hold no phone number, password, token or code', () => {
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(1000);
    const leaks = secrets.filter((s) => log.includes(s));
    expect(leaks).toEqual([]);
    // and no mainland mobile number at all
    expect(log.match(/(?<!\d)1[3-9]\d{9}(?!\d)/g) ?? []).toEqual([]);
  });
});

async function fresh() {
  const { createSession } = await import('../../src/auth/sessions.ts');
  const { inTx } = await import('../../src/db/tx.ts');
  const s = await inTx(t.deps.db, (tx) => createSession(tx, userId, t.clock.now(), 1, 'x'));
  return callerFor(t.app, userId, s.token);
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'orders',
    'order_lines',
    'payments',
    'ledger_transfers',
    'after_sales',
    'withdrawals',
  ]) {
    const r = await sql
      .raw<{ n: number }>(`select count(*)::int as n from ${table}`)
      .execute(t.deps.db);
    out[table] = Number(r.rows[0]!.n);
  }
  return out;
}
