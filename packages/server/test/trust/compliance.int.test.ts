import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpShopper, testApp, type Caller, type TestApp } from '../app.ts';
import { DB_KIND } from '../db.ts';
import { REASONS } from '../../src/ledger/reasons.ts';
import { quickStaff } from '../../src/orders/testing.ts';
import { routeSchemas, type JsonSchema } from './support.ts';

/**
 * Compliance guards (docs/models/commission.md; the rules against pyramid selling): no route can
 * configure commission three levels deep; nobody pays to become a distributor; the rules
 * page is versioned and a change is shown before it takes effect.
 */
let t: TestApp;
let admin: Caller;

beforeAll(async () => {
  t = await testApp();
  admin = await quickStaff(t, 'admin');
});
afterAll(async () => t.close());

const ILLEGAL_COMMISSION = [
  { commission: { enabled: true, depth: 3 } },
  { commission: { enabled: true, depth: 9, level1Pct: 5, level2Pct: 5 } },
  { commission: { enabled: true, depth: 2, level3Pct: 5 } },
  { commission: { enabled: true, levels: [10, 5, 2] } },
  { commission: { enabled: true, depth: '3' } },
  { commission: { enabled: true, depth: 2.5 } },
  { commission: { enabled: true, depth: 2 }, commission3: { pct: 1 } },
];

const versions = async () =>
  Number(
    (
      await t.deps.db
        .selectFrom('rule_versions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Does a body schema take a settings document (or any free-form object)? */
const takesSettings = (s: JsonSchema | null) =>
  !!s && (Object.keys(s.properties ?? {}).includes('settings') || s.additionalProperties === true);

describe(`compliance guards on ${DB_KIND}`, () => {
  it('commission depth ≥ 3 cannot be configured by any route', async () => {
    const routes = (await routeSchemas(t.app)).filter(
      (r) => r.method !== 'GET' && takesSettings(r.body),
    );
    expect(routes.map((r) => r.url)).toContain('/api/v1/admin/rules');
    const before = await versions();
    for (const r of routes) {
      for (const settings of ILLEGAL_COMMISSION) {
        for (const effectiveAt of [
          undefined,
          new Date(t.clock.now().getTime() + 86_400_000).toISOString(),
        ]) {
          const res = await admin.request({
            method: r.method as 'POST',
            url: r.url.replace(/:[A-Za-z]+/g, '1'),
            headers: { 'idempotency-key': `c-${Math.random()}` },
            payload: {
              settings,
              ...(effectiveAt && r.url.endsWith('/rules') ? { effectiveAt } : {}),
            },
          });
          expect([r.url, JSON.stringify(settings), res.statusCode]).toEqual([
            r.url,
            JSON.stringify(settings),
            400,
          ]);
        }
      }
    }
    expect(await versions()).toBe(before);
    const rules = (await t.app.inject({ method: 'GET', url: '/api/v1/rules' })).json() as {
      current: { settings: { commission: { depth: number } } };
    };
    expect(rules.current.settings.commission.depth).toBeLessThanOrEqual(2);
  });

  it('becoming a distributor costs nothing: a new shopper can refer at once, with no charge', async () => {
    const u = await signUpShopper(t);
    expect(u.referralCode).toMatch(/^[0-9A-Z]{8}$/);
    const moves = await t.deps.db
      .selectFrom('ledger_transfers as t')
      .innerJoin('ledger_accounts as a', (j) =>
        j.on((eb) =>
          eb.or([
            eb('a.id', '=', eb.ref('t.debit_account_id')),
            eb('a.id', '=', eb.ref('t.credit_account_id')),
          ]),
        ),
      )
      .select('t.id')
      .where('a.owner_type', '=', 'user')
      .where('a.owner_id', '=', String(u.userId))
      .execute();
    expect(moves).toEqual([]);
    // a friend binds with the code, free of charge too
    const friend = await signUpShopper(t, { referralCode: u.referralCode });
    const me = (await friend.request({ method: 'GET', url: '/api/v1/auth/me' })).json() as {
      user: { referrerId: number };
    };
    expect(me.user.referrerId).toBe(u.userId);
    // no route sells a membership, an agency or a distributor level, and the only fee in
    // the books is the withdrawal fee. Selling needs a buyer: routes a shopper can call.
    // (An admin granting a member level, POST /admin/users/:id/level, charges nobody.)
    const shopperCan = (a: (typeof t.app.routeTable)[number]['access']) =>
      a === 'public' || a === 'user' || (a as readonly string[]).includes('shopper');
    const selling = t.app.routeTable.filter(
      (r) =>
        shopperCan(r.access) &&
        /distribut|agent|agency|member(ship)?|upgrade|join|level|vip|franchise/i.test(r.url),
    );
    expect(selling.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(Object.keys(REASONS).filter((k) => /fee|charge|membership|join/.test(k))).toEqual([
      'withdrawal.fee',
    ]);
  });

  it('the rules page is versioned; a change is announced before it takes effect', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/rules' })).json() as {
      current: { id: number; settings: { settleAfterDays: number } };
      upcoming: unknown[];
    };
    const effectiveAt = new Date(t.clock.now().getTime() + 7 * 86_400_000).toISOString();
    const published = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/rules',
      payload: { settings: { settleAfterDays: 3 }, effectiveAt, note: '售后期改为 3 天' },
    });
    expect(published.statusCode, published.body).toBe(201);
    // announced: shown to everyone, not yet in force
    const announced = (await t.app.inject({ method: 'GET', url: '/api/v1/rules' })).json() as {
      current: { id: number };
      upcoming: { id: number; effectiveAt: string; note: string }[];
    };
    expect(announced.current.id).toBe(before.current.id);
    expect(announced.upcoming).toEqual([
      expect.objectContaining({ effectiveAt, note: '售后期改为 3 天' }),
    ]);
    // the past is not rewritten
    const backdated = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/rules',
      payload: {
        settings: { settleAfterDays: 1 },
        effectiveAt: new Date(t.clock.now().getTime() - 86_400_000).toISOString(),
      },
    });
    expect(backdated.statusCode).toBe(400);
    // staff cannot publish at all; the history keeps every version
    const staff = await quickStaff(t, 'staff');
    const byStaff = await staff.request({
      method: 'POST',
      url: '/api/v1/admin/rules',
      payload: { settings: { settleAfterDays: 0 } },
    });
    expect(byStaff.statusCode).toBe(403);
    t.clock.advance(7 * 86_400_000 + 1000);
    const later = (await t.app.inject({ method: 'GET', url: '/api/v1/rules' })).json() as {
      current: { settings: { settleAfterDays: number }; effectiveAt: string };
      upcoming: unknown[];
    };
    expect(later.current.settings.settleAfterDays).toBe(3);
    expect(later.current.effectiveAt).toBe(effectiveAt);
    expect(later.upcoming).toEqual([]);
    const history = (await admin.request({ method: 'GET', url: '/api/v1/admin/rules' })).json() as {
      versions: { id: number }[];
    };
    expect(history.versions.length).toBeGreaterThanOrEqual(1);
  });
});
