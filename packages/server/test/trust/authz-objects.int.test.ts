import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, staffUser, testApp, type Caller, type TestApp } from '../app.ts';
import { DB_KIND } from '../db.ts';
import { inTx } from '../../src/db/tx.ts';
import { createSession } from '../../src/auth/sessions.ts';
import { setCommerceConfig } from '../../src/orders/config.ts';
import {
  addressOf,
  buyAndPay,
  fund,
  idemKey,
  placeOrder,
  quickShopper,
  quickStaff,
  seedSku,
} from '../../src/orders/testing.ts';
import type { RouteEntry } from '../../src/app/app.ts';
import fc from 'fast-check';
import {
  declaredProbes,
  mayCall,
  OWNERSHIP_PARAMS,
  routeSchemas,
  tableCounts,
  validFor,
  validRequestParts,
  WRITTEN_ON_REFUSAL,
  type RouteSchema,
} from './support.ts';

/**
 * The object-level half of the authorization matrix, generated from the route table:
 * every route with a path parameter that names someone's object is called by "another
 * shopper" and by "a cashier of another store" with the owner's real ids. They get the
 * answer of an object that does not exist (404) — never the object, never a change.
 * A new owner-scoped route fails this test until its object is listed in OBJECTS.
 */
let t: TestApp;
let owner: Caller;
const MARK = 'OWNER-ONLY-7f3a';
/** The owner's objects by the path prefix that addresses them. */
const objects: Record<string, string> = {};
let ownerCashier: Caller;
let otherCashier: Caller;
let otherShopper: Caller;
let schemas: RouteSchema[];
let ownerStore = 0;

/** Path patterns → which object their parameter names. Staff-only routes are out of scope. */
const OBJECTS: [RegExp, string][] = [
  [/^\/api\/v1\/addresses\/:id/, 'address'],
  [/^\/api\/v1\/orders\/:id/, 'order'],
  [/^\/api\/v1\/after-sales\/:id/, 'afterSale'],
  [/^\/api\/v1\/queue\/entries\/:id/, 'queueEntry'],
  [/^\/api\/v1\/users\/:id/, 'user'],
  [/^\/api\/v1\/charges\/:code/, 'chargeCode'],
  [/^\/api\/v1\/cashier\/charges\/:id/, 'charge'],
];
/** Path parameters that name no one's object: public catalogue ids, my own cart lines, providers. */
const NOT_OWNED: RegExp[] = [
  /^\/api\/v1\/products\/:id/,
  /^\/api\/v1\/cart\/items\/:skuId/,
  /^\/api\/v1\/payments\/:provider\/notify/,
];

const ownerScoped = (r: RouteEntry) =>
  /:[A-Za-z]+/.test(r.url) &&
  (r.access === 'user' ||
    (Array.isArray(r.access) &&
      (r.access as readonly string[]).some((x) => x === 'shopper' || x === 'cashier')));

beforeAll(async () => {
  t = await testApp();
  schemas = await routeSchemas(t.app);
  setCommerceConfig(t.deps, { payMinutes: 30 });
  const admin = await quickStaff(t, 'admin');
  owner = await quickShopper(t);
  otherShopper = await quickShopper(t);
  const stores = await inTx(t.deps.db, async (tx) =>
    Promise.all(
      ['store one', 'store two'].map(
        async (name) =>
          (await tx.insertInto('stores').values({ name }).returning('id').executeTakeFirstOrThrow())
            .id,
      ),
    ),
  );
  ownerStore = stores[0]!;
  ownerCashier = await staffUser(t, 'cashier', stores[0]);
  otherCashier = await staffUser(t, 'cashier', stores[1]);

  const { skuId } = await seedSku(t, { priceFen: 5000, stock: 100, title: `${MARK} product` });
  const res = await owner.request({
    method: 'POST',
    url: '/api/v1/addresses',
    payload: { name: MARK, phone: '13811112222', province: '广东', city: '深圳', detail: MARK },
  });
  objects.address = String((res.json() as { id: number }).id);
  const addressId = await addressOf(owner);
  // an order that was paid, shipped and completed: it has a queue entry and can be reviewed
  const done = await buyAndPay(t, owner, { items: [{ skuId, qty: 2 }], addressId, note: MARK });
  await admin.request({
    method: 'POST',
    url: `/api/v1/admin/orders/${done}/ship`,
    payload: { carrier: 'SF', trackingNo: 'SF1' },
  });
  await owner.request({ method: 'POST', url: `/api/v1/orders/${done}/complete` });
  objects.order = String(done);
  const detail = (await owner.request({ method: 'GET', url: `/api/v1/orders/${done}` })).json() as {
    lines: { id: number }[];
  };
  const as = await owner.request({
    method: 'POST',
    url: `/api/v1/orders/${done}/after-sales`,
    headers: { 'idempotency-key': idemKey() },
    payload: { kind: 'refund', reason: MARK, lines: [{ lineId: detail.lines[0]!.id, qty: 1 }] },
  });
  expect(as.statusCode, as.body).toBeLessThan(300);
  objects.afterSale = String((as.json() as { id: number }).id);
  const entries = (await owner.request({ method: 'GET', url: '/api/v1/queue/entries' })).json() as {
    items: { id: number }[];
  };
  objects.queueEntry = String(entries.items[0]?.id ?? 999_999);
  objects.user = String(owner.userId);
  await placeOrder(owner, { items: [{ skuId, qty: 1 }], addressId });
  await fund(t, owner.userId, 'cash', 10_000);

  // a charge of the first store's cashier, claimed by the owner
  const charge = await ownerCashier.request({
    method: 'POST',
    url: '/api/v1/cashier/charges',
    headers: { 'idempotency-key': idemKey() },
    payload: { amountFen: 1234, note: MARK },
  });
  if (charge.statusCode === 201) {
    const c = charge.json() as { id: number; code: string };
    objects.charge = String(c.id);
    objects.chargeCode = c.code;
    await owner.request({ method: 'POST', url: `/api/v1/charges/${c.code}/claim` });
  }
});
afterAll(async () => t.close());

function objectOf(url: string): string | null | undefined {
  if (NOT_OWNED.some((re) => re.test(url))) return null;
  const hit = OBJECTS.find(([re]) => re.test(url));
  return hit ? hit[1] : undefined;
}

const fill = (url: string, value: string) => url.replace(/:[A-Za-z]+/, value);

async function fresh(c: Caller): Promise<Caller> {
  const s = await inTx(t.deps.db, (tx) => createSession(tx, c.userId, t.clock.now(), 1, 'x'));
  return callerFor(t.app, c.userId, s.token);
}

describe(`object-level authorization on ${DB_KIND}`, () => {
  it('every API route declares who may call it, and the table holds every documented route', async () => {
    const table = t.app.routeTable;
    const declared = (r: RouteEntry) =>
      r.access === 'public' ||
      r.access === 'user' ||
      (Array.isArray(r.access) &&
        r.access.length > 0 &&
        r.access.every((x) => ['shopper', 'cashier', 'staff', 'admin'].includes(x)));
    expect(table.filter((r) => !declared(r))).toEqual([]);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const inTable = new Set(table.map((r) => `${r.method} ${r.url}`));
    expect(documented.filter((d) => d.includes(' /api/') && !inTable.has(d))).toEqual([]);
  });

  it('every owner-scoped route is known to this test', () => {
    const unknown = t.app.routeTable
      .filter(ownerScoped)
      .filter((r) => objectOf(r.url) === undefined)
      .map((r) => `${r.method} ${r.url}`);
    expect(unknown).toEqual([]);
  });

  it('the owner reaches every object (the ids are real)', async () => {
    for (const r of t.app.routeTable.filter((x) => ownerScoped(x) && x.method === 'GET')) {
      const kind = objectOf(r.url);
      if (!kind || !objects[kind]) continue;
      const asOwner = kind === 'charge' ? ownerCashier : owner;
      const res = await (
        await fresh(asOwner)
      ).request({
        method: 'GET',
        url: fill(r.url, objects[kind]),
      });
      expect([r.url, res.statusCode]).toEqual([r.url, 200]);
    }
  });

  for (const who of ['other shopper', 'cashier of another store'] as const) {
    it(`${who}: 404 for every owner-scoped route with the owner's ids, nothing changed`, async () => {
      const caller = who === 'other shopper' ? otherShopper : otherCashier;
      const problems: string[] = [];
      const routes = t.app.routeTable.filter(ownerScoped);
      expect(routes.length).toBeGreaterThan(10);
      for (const r of routes) {
        const kind = objectOf(r.url);
        if (!kind) continue;
        if (!objects[kind]) {
          problems.push(`${r.url}: no ${kind} was created to try it with`);
          continue;
        }
        if (
          Array.isArray(r.access) &&
          !(r.access as readonly string[]).includes(who === 'other shopper' ? 'shopper' : 'cashier')
        )
          continue; // refused by role: the role matrix covers it
        const before = await tableCounts(t.deps.db);
        // schema-valid bodies, so the request reaches the ownership check and is not
        // merely refused by the validator; at least one must be answered "not found"
        const schema = schemas.find((x) => x.method === r.method && x.url === r.url)!;
        const bodies =
          r.method === 'GET' || r.method === 'DELETE'
            ? [undefined]
            : [
                {},
                ...fc.sample(validFor(schema.body ?? { type: 'object' }), { seed: 7, numRuns: 8 }),
              ];
        const answers: number[] = [];
        for (const body of bodies) {
          const res = await (
            await fresh(caller)
          ).request({
            method: r.method as 'GET',
            url: fill(r.url, objects[kind]),
            headers: { 'idempotency-key': idemKey() },
            ...(body === undefined ? {} : { payload: body as object }),
          });
          answers.push(res.statusCode);
          if (res.body.includes(MARK) || res.body.includes('13811112222'))
            problems.push(`${r.method} ${r.url} as ${who}: the owner's data leaked`);
        }
        const label = `${r.method} ${r.url} as ${who} → ${answers.join(',')}`;
        // a QR code already taken says so (409) without showing anything of the order
        const refusal = kind === 'chargeCode' ? [404, 409] : [404];
        if (!answers.some((a) => refusal.includes(a))) problems.push(`${label}: never 404`);
        if (answers.some((a) => a < 400 || a >= 500 || (a !== 400 && !refusal.includes(a))))
          problems.push(label);
        const after = await tableCounts(t.deps.db);
        const written = Object.keys(after).filter(
          (k) => !WRITTEN_ON_REFUSAL.has(k) && after[k] !== before[k],
        );
        if (written.length) problems.push(`${label}: wrote ${written.join(', ')}`);
      }
      expect(problems).toEqual([]);
      // and the owner's objects are as they were
      const order = (
        await owner.request({ method: 'GET', url: `/api/v1/orders/${objects.order}` })
      ).json() as { state: string; note: string };
      expect(order).toMatchObject({ state: 'completed', note: MARK });
      const addr = await owner.request({ method: 'GET', url: '/api/v1/addresses' });
      expect(addr.body).toContain(MARK);
    });
  }

  it("naming the owner in a query string shows another shopper or cashier nothing of the owner's", async () => {
    // the owner's real ids under every name a handler might take for "whose"
    const ownerIds: Record<string, string> = {
      storeId: String(ownerStore),
      merchantId: String(ownerStore),
      cashierId: String(ownerCashier.userId),
      orderId: objects.order!,
      id: objects.order!,
      role: 'admin',
    };
    const valueFor = (name: string) => ownerIds[name] ?? String(owner.userId);
    const problems: string[] = [];
    let tried = 0;
    for (const r of schemas.filter((x) => x.method === 'GET')) {
      const parts = validRequestParts(r)!;
      const declared = declaredProbes(r);
      for (const [who, caller] of [
        ['other shopper', otherShopper],
        ['cashier of another store', otherCashier],
      ] as const) {
        if (!mayCall(r.access, who === 'other shopper' ? 'shopper' : 'cashier')) continue;
        const c = await fresh(caller);
        const probes: [string, string][][] = [
          ...OWNERSHIP_PARAMS.map((p): [string, string][] => [[p, valueFor(p)]]),
          OWNERSHIP_PARAMS.map((p): [string, string] => [p, 'abc']),
        ];
        for (const probe of probes) {
          const qs = new URLSearchParams([...Object.entries(parts.query), ...probe]);
          const res = await c.request({ method: 'GET', url: `${parts.path}?${qs}` });
          tried++;
          const [name, value] = probe[0]!;
          const label = `GET ${r.url}?${probe.length > 1 ? '…=abc' : `${name}=${value}`} as ${who} → ${res.statusCode}`;
          // (public routes show the catalogue, whose product titles carry the mark too)
          const leaked = res.body.includes(MARK) || res.body.includes('13811112222');
          if (leaked && r.access !== 'public') problems.push(`${label}: the owner's data leaked`);
          if (res.statusCode >= 500) problems.push(`${label}: server error`);
          else if (!declared.includes(name) && res.statusCode !== 400)
            problems.push(`${label}: expected 400`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(tried).toBeGreaterThan(300);
  });

  it('staff lists never reach a shopper through a shopper-facing list route', async () => {
    // list routes are scoped to the caller: the other shopper's lists hold none of the owner's rows
    for (const url of [
      '/api/v1/orders',
      '/api/v1/addresses',
      '/api/v1/after-sales',
      '/api/v1/queue/entries',
      '/api/v1/rewards',
      '/api/v1/wallet/history',
      '/api/v1/wallet/withdrawals',
      '/api/v1/referrals',
      '/api/v1/me/export',
    ]) {
      for (const c of [otherShopper, otherCashier]) {
        const res = await (await fresh(c)).request({ method: 'GET', url });
        expect([url, res.statusCode]).toEqual([url, 200]);
        expect([url, res.body.includes(MARK)]).toEqual([url, false]);
      }
    }
    const theirCharges = await (
      await fresh(otherCashier)
    ).request({
      method: 'GET',
      url: '/api/v1/cashier/charges',
    });
    expect(theirCharges.body).not.toContain(MARK);
  });
});
