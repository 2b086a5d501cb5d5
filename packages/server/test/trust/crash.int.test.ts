import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { inTx } from '../../src/db/tx.ts';
import { createSession } from '../../src/auth/sessions.ts';
import { insertUniqueUser } from '../../src/auth/service.ts';
import { publishRules } from '../../src/rules/publish.ts';
import { SandboxProvider, type SignedNotification } from '../../src/payments/index.ts';
import { brokenInvariants } from './support.ts';

/**
 * Crash safety on PostgreSQL, with real server processes (`fanli start`): a batch of
 * orders is paid by signed notifications and settled by window-end jobs while the server
 * is killed with SIGKILL, restarted, killed again; then the same while every database
 * connection is cut again and again. After each run every invariant holds: the ledger
 * balances, no queue entry is over-filled, no reward is paid twice, every paid order is
 * booked and settled exactly once.
 */
const PG_URL = process.env.DATABASE_URL;
const BIN = fileURLToPath(new URL('../../../cli/bin/fanli.js', import.meta.url));
const SECRET = 'trust-suite-sandbox-secret-0123456789';
const N = 24;

let admin: Kysely<unknown>;
let dbName = '';
let dbUrl = '';
let database: Database;
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('port'))));
    });
  });
}

interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
}

async function start(): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      FANLI_PUBLIC_URL: base,
      FANLI_SANDBOX_SECRET: SECRET,
      FANLI_JOBS_POLL_MS: '50',
      FANLI_DB_POOL_SIZE: '8',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no start in time:\n${out}`)), 60_000);
    const check = () => {
      if (/Fanli is running at/.test(out)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited (${code}):\n${out}`));
    });
  });
  return { child, base, output: () => out };
}

async function kill(s: Server, signal: NodeJS.Signals = 'SIGKILL') {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const gone = new Promise((r) => s.child.once('exit', r));
  s.child.kill(signal);
  await gone;
}

async function call(
  s: Server,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${s.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'idempotency-key': `crash-${randomBytes(6).toString('hex')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
}

/** Delivers a signed notification; a provider retries until it gets its 2xx. */
async function deliver(s: Server, n: SignedNotification): Promise<number> {
  try {
    const res = await fetch(`${s.base}/api/v1/payments/sandbox/notify`, {
      method: 'POST',
      headers: n.headers,
      body: n.rawBody,
      signal: AbortSignal.timeout(20_000),
    });
    await res.text();
    return res.status;
  } catch {
    return 0; // connection reset: the server died
  }
}

async function retryUntil<T>(
  what: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 60_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    let v: T | undefined;
    try {
      v = await what();
      if (done(v)) return v;
    } catch {
      /* connection trouble: try again */
    }
    if (Date.now() > until) throw new Error(`gave up: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Buyer {
  id: number;
  token: string;
  addressId: number;
}
let adminToken = '';
let skuId = 0;
const sandbox = new SandboxProvider({ secret: SECRET });

async function makeBuyers(n: number, tag: string): Promise<Omit<Buyer, 'addressId'>[]> {
  return inTx(database.db, async (tx) => {
    const out: Omit<Buyer, 'addressId'>[] = [];
    for (let i = 0; i < n; i++) {
      const u = await insertUniqueUser(tx, {
        phone: `135${tag}${String(i).padStart(8 - tag.length, '0')}`,
        password_hash: null,
        role: 'shopper',
        nickname: `buyer ${tag}${i}`,
        // a chain of referrals, so commissions depend on two orders at once
        referrer_id: i > 0 && i % 3 !== 0 ? out[i - 1]!.id : null,
        referred_at: i > 0 && i % 3 !== 0 ? new Date() : null,
        store_id: null,
        privacy_version: null,
        privacy_consented_at: null,
      });
      const s = await createSession(tx, u!.id, new Date(), 24, 'crash');
      out.push({ id: u!.id, token: s.token });
    }
    return out;
  });
}

/** Places and starts paying one order per buyer; returns each order with its notification. */
async function ordersWithNotifications(s: Server, tag: string) {
  const buyers = await makeBuyers(N, tag);
  const out: { orderId: number; buyer: Buyer; notification: SignedNotification }[] = [];
  for (const b of buyers) {
    const addr = await call(s, b.token, 'POST', '/api/v1/addresses', {
      name: 'Crash',
      phone: '13800000000',
      province: '广东',
      city: '深圳',
      detail: '1 号',
    });
    const buyer = { ...b, addressId: (addr.json as { id: number }).id };
    const placed = await call(s, b.token, 'POST', '/api/v1/orders', {
      items: [{ skuId, qty: 1 + (b.id % 3) }],
      addressId: buyer.addressId,
    });
    expect(placed.status, JSON.stringify(placed.json)).toBe(201);
    const orderId = (placed.json as { id: number }).id;
    const pay = await call(s, b.token, 'POST', `/api/v1/orders/${orderId}/pay`, {
      provider: 'sandbox',
    });
    expect(pay.status, JSON.stringify(pay.json)).toBe(200);
    const started = pay.json as { outTradeNo: string; action: { url: string } };
    const url = new URL(started.action.url, s.base);
    const link = sandbox.readPayLink(started.outTradeNo, Object.fromEntries(url.searchParams))!;
    out.push({ orderId, buyer, notification: sandbox.confirmPayment(link) });
  }
  return out;
}

/** Starts a server (the first start migrates the fresh database), seeding it once. */
async function startSeeded(): Promise<Server> {
  const s = await start();
  if (database) return s;
  database = await openDatabase({ databaseUrl: dbUrl, poolSize: 4, onPoolError: () => {} });
  await inTx(database.db, async (tx) => {
    const a = await insertUniqueUser(tx, {
      phone: '13400000001',
      password_hash: null,
      role: 'admin',
      nickname: 'admin',
      referrer_id: null,
      referred_at: null,
      store_id: null,
      privacy_version: null,
      privacy_consented_at: null,
    });
    adminToken = (await createSession(tx, a!.id, new Date(), 24, 'crash')).token;
    const now = new Date();
    const published = await publishRules(
      tx,
      {
        settings: {
          settleAfterDays: 0,
          referral: { enabled: true, everyN: 2, reward: { form: 'cash', fixedFen: 300 } },
          commission: { enabled: true, depth: 2, level1Pct: 10, level2Pct: 5 },
          cashback: { enabled: true, form: 'cash', pct: 3 },
        },
        effectiveAt: now,
        note: 'crash test',
      },
      { id: a!.id, role: 'admin', ip: '127.0.0.1' },
      now,
    );
    expect(published.ok).toBe(true);
    const p = await tx
      .insertInto('products')
      .values({
        title: 'Crash tee',
        images: JSON.stringify(['/img/p.png']),
        price_fen: 9900,
        category_id: null,
        store_id: null,
        supplier: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    skuId = (
      await tx
        .insertInto('skus')
        .values({
          product_id: p.id,
          spec: JSON.stringify({ size: 'M' }),
          price_fen: 9900,
          cost_fen: null,
          stock: 10_000,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  return s;
}

async function count(query: string): Promise<number> {
  const r = await sql.raw<{ n: number }>(query).execute(database.db);
  return Number(r.rows[0]!.n);
}

/** Ships (as the shop) and completes (as the buyer) an order; either step may already be done. */
async function shipAndComplete(s: Server, o: { orderId: number; buyer: Buyer }) {
  await call(s, adminToken, 'POST', `/api/v1/admin/orders/${o.orderId}/ship`, {
    carrier: 'SF',
    trackingNo: `SF${o.orderId}`,
  });
  return call(s, o.buyer.token, 'POST', `/api/v1/orders/${o.orderId}/complete`);
}

async function waitSettled(orderIds: number[], ms = 90_000) {
  const list = orderIds.join(',');
  await retryUntil(
    () =>
      count(`select count(*)::int as n from orders where id in (${list}) and settled_at is null`),
    (n) => n === 0,
    ms,
  );
  // and nothing left for the job runner to do now
  await retryUntil(
    () =>
      count(
        `select count(*)::int as n from jobs where status = 'queued' and run_at <= now() and kind like 'order.settle%'`,
      ),
    (n) => n === 0,
    ms,
  );
}

async function checkBatch(orderIds: number[]) {
  const list = orderIds.join(',');
  expect(await brokenInvariants(database.db)).toEqual([]);
  // every order paid once and settled once
  expect(
    await count(
      `select count(*)::int as n from payments where order_id in (${list}) and status = 'paid'`,
    ),
  ).toBe(orderIds.length);
  expect(
    await count(
      `select count(*)::int as n from ledger_transfers t join payments p on t.idempotency_key = 'payment:' || p.out_trade_no where p.order_id in (${list})`,
    ),
  ).toBe(orderIds.length);
  expect(
    await count(
      `select count(*)::int as n from order_rule_state where order_id in (${list}) and settled`,
    ),
  ).toBe(orderIds.length);
  expect(
    await count(
      `select count(*)::int as n from jobs where kind = 'order.settle' and status = 'done' and (payload->>'orderId')::bigint in (${list})`,
    ),
  ).toBe(orderIds.length);
  // every reward of these orders became available exactly once
  expect(
    await count(
      `select count(*)::int as n from rewards r join reward_deps d on d.reward_id = r.id where d.order_id in (${list}) and r.state <> 'available'`,
    ),
  ).toBe(0);
  expect(
    await count(
      `select count(*)::int as n from rewards r join reward_deps d on d.reward_id = r.id where d.order_id in (${list})`,
    ),
  ).toBeGreaterThan(orderIds.length);
}

beforeAll(async () => {
  if (!PG_URL) return;
  admin = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: PG_URL, max: 2 }) }),
  });
  dbName = `fanli_crash_${randomBytes(5).toString('hex')}`;
  await sql.raw(`create database ${dbName}`).execute(admin);
  const u = new URL(PG_URL);
  u.pathname = `/${dbName}`;
  dbUrl = u.toString();
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await database?.close();
  if (admin) {
    await sql.raw(`drop database if exists ${dbName} with (force)`).execute(admin);
    await admin.destroy();
  }
}, 60_000);

describe('crash safety on PostgreSQL (real server processes)', () => {
  it.skipIf(!PG_URL)(
    'kill -9 while notifications are booked and windows settle; restart; every invariant holds',
    async () => {
      let s = await startSeeded();
      const batch = await ordersWithNotifications(s, '1');
      const ids = batch.map((b) => b.orderId);

      // 1. every notification twice, all at once; SIGKILL once a few are booked
      const acks: Promise<number>[] = [];
      for (const b of [...batch, ...batch.slice().reverse()]) acks.push(deliver(s, b.notification));
      await retryUntil(
        () => count(`select count(*)::int as n from payments where status = 'paid'`),
        (n) => n >= 4,
        30_000,
      );
      await kill(s);
      const first = await Promise.all(acks);
      expect(first.filter((x) => x === 0).length).toBeGreaterThan(0); // some were cut off

      // 2. restart; the provider retries every notification (late, reordered, duplicated)
      s = await start();
      for (const b of batch.slice().reverse()) {
        await retryUntil(
          () => deliver(s, b.notification),
          (st) => st === 204,
        );
      }
      expect(await count(`select count(*)::int as n from payments where status = 'paid'`)).toBe(N);

      // 3. ship and complete everything; SIGKILL while the window-end jobs settle
      const completing = batch.map((b) => shipAndComplete(s, b).catch(() => null));
      await retryUntil(
        () => count(`select count(*)::int as n from orders where settled_at is not null`),
        (n) => n >= 3,
        60_000,
      );
      await kill(s);
      await Promise.all(completing);

      // 4. restart and finish: whatever did not complete is completed again
      s = await start();
      for (const b of batch) {
        await retryUntil(
          async () => {
            await shipAndComplete(s, b);
            return count(
              `select count(*)::int as n from orders where id = ${b.orderId} and state = 'completed'`,
            );
          },
          (n) => n === 1,
        );
      }
      await waitSettled(ids);
      await kill(s, 'SIGTERM');
      await checkBatch(ids);
    },
    240_000,
  );

  it.skipIf(!PG_URL)(
    'database connections cut again and again while notifications and settlements run',
    async () => {
      const s = await startSeeded();
      const batch = await ordersWithNotifications(s, '2');
      const ids = batch.map((b) => b.orderId);
      let cutting = true;
      let cuts = 0;
      const cutter = (async () => {
        while (cutting) {
          const r = await sql<{ n: number }>`
            select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
             where datname = ${dbName} and pid <> pg_backend_pid()`.execute(admin);
          cuts += Number(r.rows[0]!.n);
          await new Promise((r2) => setTimeout(r2, 400));
        }
      })();
      try {
        // the provider retries each notification until it is acknowledged (duplicates included)
        await Promise.all(
          batch.map(async (b) => {
            await deliver(s, b.notification);
            await retryUntil(
              () => deliver(s, b.notification),
              (st) => st === 204,
            );
          }),
        );
        await Promise.all(
          batch.map((b) =>
            retryUntil(
              async () => {
                await shipAndComplete(s, b);
                return count(
                  `select count(*)::int as n from orders where id = ${b.orderId} and state = 'completed'`,
                );
              },
              (n) => n === 1,
            ),
          ),
        );
      } catch (e) {
        throw new Error(
          `${String(e)}\nserver alive: ${s.child.exitCode === null}\n${s.output().slice(-3000)}`,
        );
      } finally {
        cutting = false;
        await cutter;
      }
      expect(cuts).toBeGreaterThan(0);
      await waitSettled(ids);
      // the server lived through it
      expect(s.child.exitCode, s.output()).toBe(null);
      await kill(s, 'SIGTERM');
      await checkBatch(ids);
    },
    240_000,
  );
});
