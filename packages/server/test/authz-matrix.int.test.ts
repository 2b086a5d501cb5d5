import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './app.ts';
import { inTx } from '../src/db/tx.ts';
import { createSession } from '../src/auth/sessions.ts';
import { insertUniqueUser } from '../src/auth/service.ts';
import type { Role } from '../src/db/schema.ts';
import type { RouteEntry } from '../src/http/app.ts';

/**
 * The authorization matrix, generated from the server's own route table: every API
 * route × every role is allowed or refused exactly as the route declares. A new route
 * is covered the moment it is registered. (Object-level rules — shopper A vs shopper B,
 * a cashier of another store — are tested beside each capability.)
 */
let t: TestApp;
const ROLES = ['anonymous', 'shopper', 'cashier', 'staff', 'admin'] as const;
type Caller = (typeof ROLES)[number];
const users: Partial<Record<Role, number>> = {};

beforeAll(async () => {
  t = await testApp();
  await inTx(t.deps.db, async (tx) => {
    const store = await tx
      .insertInto('stores')
      .values({ name: 'matrix store' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [i, role] of (['shopper', 'cashier', 'staff', 'admin'] as const).entries()) {
      const u = await insertUniqueUser(tx, {
        phone: `1370000000${i}`,
        password_hash: null,
        role,
        nickname: role,
        referrer_id: null,
        referred_at: null,
        store_id: role === 'cashier' ? store.id : null,
        privacy_version: null,
        privacy_consented_at: null,
      });
      users[role] = u!.id;
    }
  });
});
afterAll(async () => t.close());

function allowed(route: RouteEntry, caller: Caller): boolean {
  if (route.access === 'public') return true;
  if (caller === 'anonymous') return false;
  if (route.access === 'user') return true;
  return (route.access as readonly string[]).includes(caller);
}

/** A fresh session per request, so a route that ends sessions cannot disturb the next row. */
async function tokenFor(role: Role): Promise<string> {
  const s = await inTx(t.deps.db, (tx) =>
    createSession(tx, users[role]!, t.clock.now(), 1, 'matrix'),
  );
  return s.token;
}

const fillPath = (url: string) =>
  url.replace(/:([A-Za-z]+)/g, (_m, name: string) => (/id$/i.test(name) ? '999999' : 'x999999'));

describe('authorization matrix', () => {
  it('covers every route of the table', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(10);
  });

  it('every route × every role is allowed or refused as declared, and never answers 500', async () => {
    const mismatches: string[] = [];
    for (const route of t.app.routeTable) {
      for (const caller of ROLES) {
        const headers: Record<string, string> = {
          'idempotency-key': `matrix-${caller}-${Math.random().toString(36).slice(2)}`,
        };
        if (caller !== 'anonymous') headers.authorization = `Bearer ${await tokenFor(caller)}`;
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: fillPath(route.url),
          headers,
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        const code = res.statusCode;
        const label = `${route.method} ${route.url} as ${caller} → ${code}`;
        if (code >= 500) mismatches.push(`${label} (server error)`);
        if (allowed(route, caller)) {
          if (code === 401 || code === 403) {
            const errCode = (res.json() as { code?: string }).code;
            // an allowed caller is never refused for its role (object-level refusals answer 404)
            if (
              errCode === 'UNAUTHENTICATED' ||
              (errCode === 'FORBIDDEN' && route.access !== 'public')
            )
              mismatches.push(`${label} (should be allowed)`);
          }
        } else {
          const expected = caller === 'anonymous' ? 401 : 403;
          if (code !== expected) mismatches.push(`${label} (expected ${expected})`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);
});
