import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { buildApp } from '../app/app.ts';
import { composeDeps } from '../app/registry.ts';
import type { App } from '../http/deps.ts';
import { verifyLedger } from '../ledger/index.ts';
import { setCommerceConfig } from '../orders/config.ts';
import {
  addressOf,
  placeOrder,
  quickShopper,
  quickStaff,
  sandboxNotification,
  seedSku,
} from '../orders/testing.ts';

/**
 * Two server processes settle one queue at the same time (on PostgreSQL: two apps with
 * their own connection pools on one database). Payouts must never exceed an entry's
 * entitlement, never be made twice, and follow queue order.
 */
let t: TestApp;
let second: { app: App; database: Database } | undefined;

beforeAll(async () => {
  t = await testApp();
  setCommerceConfig(t.deps, { payMinutes: 30, autoCompleteDays: 10 });
  if (DB_KIND === 'postgres') {
    const name = (await sql<{ d: string }>`select current_database() as d`.execute(t.deps.db))
      .rows[0]!.d;
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    const database = await openDatabase({
      databaseUrl: url.toString(),
      poolSize: 10,
      onPoolError: () => {},
    });
    const app = await buildApp(composeDeps({ ...t.deps, db: database.db }, t.deps.registry), {
      logger: false,
      web: false,
    });
    await app.ready();
    second = { app, database };
  }
});
afterAll(async () => {
  await second?.app.close();
  await second?.database.close();
  await t.close();
});

describe(`one queue settled by two server processes (${DB_KIND})`, () => {
  it('40 payments delivered concurrently through both: no double payment, no overfill, queue order kept', async () => {
    const admin = await quickStaff(t, 'admin');
    await admin.request({
      method: 'POST',
      url: '/api/v1/admin/rules',
      payload: {
        settings: {
          referral: { enabled: false },
          queueRebate: {
            enabled: true,
            queue: 'mall',
            settleOn: 'paid',
            order: 'fifo',
            extractPct: 30,
            entitlementPct: 100,
          },
        },
      },
    });
    const { skuId } = await seedSku(t, { priceFen: 10000, stock: 1000 });
    const buyers = await Promise.all(Array.from({ length: 40 }, () => quickShopper(t)));
    const notifications = [];
    for (const b of buyers) {
      const placed = await placeOrder(b, {
        items: [{ skuId, qty: 1 }],
        addressId: await addressOf(b),
      });
      notifications.push((await sandboxNotification(t, b, placed.json().id)).notification);
    }
    // every notification is delivered twice, alternately to each process, all at once
    const apps = [t.app, second?.app ?? t.app];
    const deliveries = notifications.flatMap((n, i) =>
      [0, 1].map((k) =>
        apps[(i + k) % 2]!.inject({
          method: 'POST',
          url: '/api/v1/payments/sandbox/notify',
          headers: n.headers,
          payload: n.rawBody,
        }),
      ),
    );
    const acks = await Promise.all(deliveries);
    expect(acks.every((a) => a.statusCode === 204)).toBe(true);

    const entries = await t.deps.db
      .selectFrom('queue_entries')
      .selectAll()
      .where('queue_id', '=', 'mall')
      .orderBy('seq')
      .execute();
    expect(entries).toHaveLength(40);
    // 40 contributions of 30.00 = 1200.00 went to the 39 entries ahead of each payer, in order:
    // entries are full, then at most one partly filled, then untouched
    let seenPartial = false;
    for (const e of entries) {
      expect(e.received_fen).toBeLessThanOrEqual(e.entitlement_fen);
      if (seenPartial) expect(e.received_fen).toBe(0);
      if (e.received_fen < e.entitlement_fen) seenPartial = true;
    }
    const received = entries.reduce((s, e) => s + e.received_fen, 0);
    const payouts = await t.deps.db
      .selectFrom('rewards')
      .select((eb) => eb.fn.sum<number>('amount').as('s'))
      .where('kind', '=', 'queue')
      .executeTakeFirstOrThrow();
    expect(Number(payouts.s)).toBe(received);
    // the first payer's contribution found nobody ahead: 39 × 30.00 were paid out
    expect(received).toBe(39 * 3000);
    // every order paid once, settled into the rules once
    const states = await t.deps.db
      .selectFrom('order_rule_state')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(states.n)).toBe(40);
    const seqs = new Set(entries.map((e) => e.seq));
    expect(seqs.size).toBe(40);
    expect((await verifyLedger(t.deps.db)).balanced).toBe(true);
  });
});
