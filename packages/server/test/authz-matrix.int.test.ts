import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './app.ts';
import { inTx } from '../src/db/tx.ts';
import { createSession } from '../src/auth/sessions.ts';
import { insertUniqueUser } from '../src/auth/service.ts';
import type { Role } from '../src/db/schema.ts';
import type { RouteEntry } from '../src/app/app.ts';
import {
  declaredProbes,
  mayCall,
  PROBE_PARAMS,
  routeSchemas,
  validRequestParts,
} from './trust/support.ts';

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

/** The request part a 400 answer names first (`querystring.userId`), if it is one. */
function refusedField(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { details?: { fields?: { field: string }[] } }).details?.fields?.[0]
      ?.field;
  } catch {
    return undefined; // not an error answer (a CSV export, say)
  }
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

  it('every route × every role refuses query parameters it does not declare (400), never 500', async () => {
    const problems: string[] = [];
    let sent = 0;
    for (const route of await routeSchemas(t.app)) {
      const parts = validRequestParts(route);
      if (!parts) {
        problems.push(`${route.method} ${route.url}: no valid body to try it with`);
        continue;
      }
      const declared = declaredProbes(route);
      for (const caller of ROLES) {
        // someone else's real id, and a value that is no id at all
        const someoneElse = String(caller === 'shopper' ? users.admin : users.shopper);
        const allowedHere = mayCall(route.access, caller);
        // each name alone with someone else's id; a non-numeric value for the filters the
        // route declares (and once for all the others together: it must not reach SQL).
        // A refused caller is refused before any parameter is read: one request says so.
        const undeclared = PROBE_PARAMS.filter((p) => !declared.includes(p));
        const probes: [string, string][][] = allowedHere
          ? [
              ...PROBE_PARAMS.map((p): [string, string][] => [[p, someoneElse]]),
              ...declared.map((p): [string, string][] => [[p, 'abc']]),
              undeclared.map((p): [string, string] => [p, 'abc']),
            ]
          : [PROBE_PARAMS.map((p): [string, string] => [p, someoneElse])];
        const headers: Record<string, string> = {};
        if (caller !== 'anonymous') headers.authorization = `Bearer ${await tokenFor(caller)}`;
        if (parts.body !== undefined) headers['content-type'] = 'application/json';
        const answers = await Promise.all(
          probes.map(async (probe) => {
            const qs = new URLSearchParams([...Object.entries(parts.query), ...probe]);
            const res = await t.app.inject({
              method: route.method as 'GET',
              url: `${parts.path}?${qs}`,
              headers: { ...headers, 'idempotency-key': `matrix-q-${++sent}` },
              ...(parts.body === undefined ? {} : { payload: JSON.stringify(parts.body) }),
            });
            return { probe, res };
          }),
        );
        for (const { probe, res } of answers) {
          const [name, value] = probe[0]!; // the first undeclared one is the one refused
          const label = `${route.method} ${route.url}?${probe.length > 1 ? '…' : `${name}=${value}`} as ${caller} → ${res.statusCode}`;
          const field = refusedField(res.body);
          if (res.statusCode >= 500) problems.push(`${label} (server error)`);
          else if (!allowedHere) {
            const expected = caller === 'anonymous' ? 401 : 403;
            if (res.statusCode !== expected) problems.push(`${label} (expected ${expected})`);
          } else if (declared.includes(name)) {
            // a filter the route declares: a value of the wrong type is still refused
            if (value === 'abc' && !(res.statusCode === 400 && field === `querystring.${name}`))
              problems.push(`${label} (a non-numeric ${name} should be refused)`);
          } else if (res.statusCode !== 400 || field !== `querystring.${name}`) {
            problems.push(`${label} ${res.body.slice(0, 160)} (expected 400 for ${name})`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(2000);
  }, 120_000);
});
