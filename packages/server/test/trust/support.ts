/**
 * Shared pieces of the trust suite (not a test file): the OpenAPI view of every route, a
 * request generator driven by each route's JSON schema, hostile strings, and the
 * invariants every fault test checks at its end.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { Db } from '../../src/db/database.ts';
import type { App } from '../../src/http/deps.ts';
import type { Access } from '../../src/http/access.ts';
import type { Role } from '../../src/db/schema.ts';
import { verifyLedger } from '../../src/ledger/index.ts';

/** A JSON schema as the OpenAPI document carries it (the subset our routes use). */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  minProperties?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  default?: unknown;
}

export interface RouteSchema {
  method: string;
  url: string; // fastify form, /api/v1/orders/:id
  access: Access;
  path: Record<string, JsonSchema>;
  query: Record<string, { schema: JsonSchema; required: boolean }>;
  body: JsonSchema | null;
}

/** Each route of the table with its parameter and body schemas, read from /api/docs/json. */
export async function routeSchemas(app: App): Promise<RouteSchema[]> {
  const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
          requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        }
      >
    >;
  };
  return app.routeTable.map((r) => {
    const op = doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
    const path: RouteSchema['path'] = {};
    const query: RouteSchema['query'] = {};
    for (const p of op?.parameters ?? []) {
      if (p.in === 'path') path[p.name] = p.schema;
      if (p.in === 'query') query[p.name] = { schema: p.schema, required: p.required === true };
    }
    for (const m of r.url.matchAll(/:([A-Za-z]+)/g)) path[m[1]!] ??= { type: 'string' };
    const body = op?.requestBody?.content?.['application/json']?.schema ?? null;
    return { method: r.method, url: r.url, access: r.access, path, query, body };
  });
}

/** Whether a caller of this kind passes the route's declared access (objects aside). */
export function mayCall(access: Access, caller: Role | 'anonymous'): boolean {
  if (access === 'public') return true;
  if (caller === 'anonymous') return false;
  if (access === 'user') return true;
  return (access as readonly string[]).includes(caller);
}

/**
 * Strings that have broken servers before: SQL fragments, script, NUL and lone
 * surrogates (PostgreSQL refuses both in text), huge and odd numbers as text, path tricks.
 */
export const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '1; SELECT pg_sleep(5)--',
  "\\'; update ledger_accounts set credits_posted = 0; --",
  '" or ""="',
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '{{7*7}}${7*7}',
  'a\u0000b',
  '\ud800',
  '\uffff\ufeff',
  '../../../../etc/passwd',
  '%00%27%22',
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  '0x7fffffffffffffff',
  '   ',
  '',
  '😀'.repeat(60),
  'null',
];

const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
const hostileNumber = fc.constantFrom(
  -1,
  0,
  0.5,
  -0.0001,
  2 ** 31,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  2 ** 63, // beyond bigint
  1e300,
);
/** Any JSON value, nasty ones favoured. */
export const anything: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** Real-looking ids (seeded rows exist at these) more often than random ones. */
const idLike = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 40 }) },
);

function stringFor(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'date-time')
    return fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (s.pattern && s.pattern !== '\\S') {
    try {
      return fc
        .stringMatching(new RegExp(s.pattern))
        .filter((x) => x.length <= (s.maxLength ?? 1e6) && x.length >= (s.minLength ?? 0));
    } catch {
      /* a pattern fast-check cannot invert: fall through */
    }
  }
  const maxLength = Math.min(s.maxLength ?? 60, 200);
  const minLength = s.minLength ?? 0;
  return fc.oneof(
    fc.string({ minLength, maxLength }).filter((x) => s.pattern !== '\\S' || /\S/.test(x)),
    hostileString.filter((x) => x.length >= minLength && x.length <= (s.maxLength ?? 1e6)),
  );
}

/** Values the schema accepts (mostly): the "valid-ish" half of the fuzzer. */
export function validFor(s: JsonSchema, name = '', depth = 0): fc.Arbitrary<unknown> {
  let arb: fc.Arbitrary<unknown>;
  if (s.const !== undefined) arb = fc.constant(s.const);
  else if (s.enum) arb = fc.constantFrom(...s.enum);
  else if (s.anyOf || s.oneOf)
    arb = fc.oneof(...(s.anyOf ?? s.oneOf)!.map((x) => validFor(x, name, depth)));
  else
    switch (s.type) {
      case 'integer': {
        const min = s.minimum ?? -1000;
        const max = Math.min(s.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER);
        arb =
          /id$/i.test(name) && min <= 1
            ? idLike
            : fc.oneof(
                fc.integer({ min, max: Math.min(max, min + 1000) }),
                fc.integer({ min, max }),
              );
        break;
      }
      case 'number':
        arb = fc.double({
          min: s.minimum ?? -1e6,
          max: s.maximum ?? 1e6,
          noNaN: true,
          noDefaultInfinity: true,
        });
        break;
      case 'boolean':
        arb = fc.boolean();
        break;
      case 'string':
        arb = stringFor(s);
        break;
      case 'array':
        arb = fc.array(s.items && depth < 4 ? validFor(s.items, name, depth + 1) : anything, {
          minLength: s.minItems ?? 0,
          maxLength: Math.min(s.maxItems ?? 4, 4),
        });
        break;
      case 'object': {
        const props = s.properties ?? {};
        if (depth >= 4 || Object.keys(props).length === 0) {
          arb = fc.dictionary(fc.string({ maxLength: 12 }), anything, { maxKeys: 3 });
          break;
        }
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, v] of Object.entries(props)) record[k] = validFor(v, k, depth + 1);
        const required = s.required ?? [];
        arb = fc.record(record, { requiredKeys: required }).filter((o) => {
          return Object.keys(o as object).length >= (s.minProperties ?? 0);
        });
        break;
      }
      default:
        arb = anything;
    }
  return s.nullable ? fc.oneof(arb, fc.constant(null)) : arb;
}

/** Mostly-valid values with one part broken now and then: the "invalid" half. */
export function fuzzFor(s: JsonSchema | null): fc.Arbitrary<unknown> {
  if (!s) return fc.oneof(fc.constant(undefined), anything);
  const valid = validFor(s);
  const broken =
    s.type === 'object' && s.properties
      ? fc
          .tuple(
            valid,
            fc.constantFrom(...Object.keys(s.properties), '__extra', 'constructor', '__proto__'),
            anything,
          )
          .map(([o, k, v]) =>
            o && typeof o === 'object' ? { ...(o as object), [k]: v } : { [k]: v },
          )
      : anything;
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: broken }, anything);
}

/** A path parameter or query value as text on the wire. */
export function wireValue(s: JsonSchema, name: string): fc.Arbitrary<string> {
  return fc
    .oneof({ weight: 4, arbitrary: validFor(s, name) }, { weight: 1, arbitrary: anything })
    .map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')));
}

/** Lone surrogates cannot travel in a URL: replaced, as a browser would. */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udfff]/g, (c, i: number, all: string) =>
    /[\ud800-\udbff]/.test(c) && /[\udc00-\udfff]/.test(all[i + 1] ?? '')
      ? c
      : /[\udc00-\udfff]/.test(c) && /[\ud800-\udbff]/.test(all[i - 1] ?? '')
        ? c
        : '\ufffd',
  );

export interface GeneratedRequest {
  url: string;
  body: unknown;
  /** a query parameter the route does not declare, added to the request */
  undeclared?: string;
}

/**
 * Query parameters that name whose data to show (or sound like they might), and a few
 * that merely are not there: no route may take one it does not declare.
 */
export const OWNERSHIP_PARAMS = [
  'userId',
  'user_id',
  'storeId',
  'merchantId',
  'ownerId',
  'cashierId',
  'orderId',
  'buyerId',
  'referrerId',
  'accountId',
  'id',
  'role',
];
export const UNKNOWN_PARAMS = ['_', 'debug', 'constructor', 'toString', 'fields'];
export const PROBE_PARAMS = [...OWNERSHIP_PARAMS, ...UNKNOWN_PARAMS];

/** The route's declared query parameters of the probe names (legitimate filters). */
export const declaredProbes = (r: RouteSchema) =>
  PROBE_PARAMS.filter((p) => Object.hasOwn(r.query, p));

/** Bodies as the server validates them: JSON types as sent, no coercion. */
const bodyAjv = new Ajv({ strict: false, coerceTypes: false, allErrors: false });
addFormats(bodyAjv);

/**
 * A request the route's own schemas accept: path parameters (ids of nothing that exists),
 * required query values and a valid body — so a refusal is about what a test adds to it.
 */
export function validRequestParts(
  r: RouteSchema,
  seed = 1,
): { path: string; query: Record<string, string>; body: unknown } | null {
  const sample = (s: JsonSchema, name: string) =>
    fc.sample(validFor(s, name), { seed, numRuns: 300 }).filter(storable);
  const path = r.url.replace(/:([A-Za-z]+)/g, (_m, k: string) => {
    const s = r.path[k] ?? { type: 'string' };
    if (s.type === 'integer') return '999999';
    return encodeURIComponent(String(sample(s, k).find((v) => String(v).trim()) ?? 'x'));
  });
  const query: Record<string, string> = {};
  for (const [k, q] of Object.entries(r.query)) {
    if (q.required && q.schema.default === undefined) query[k] = String(sample(q.schema, k)[0]);
  }
  if (['GET', 'DELETE'].includes(r.method)) return { path, query, body: undefined };
  if (!r.body) return { path, query, body: {} };
  const accepts = bodyAjv.compile(r.body);
  const body = sample(r.body, '').find((b) => accepts(structuredClone(b)));
  return body === undefined ? null : { path, query, body };
}

/** Whether a value survives the server's own refusal of unstorable text and numbers. */
function storable(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('\u0000') && wellFormed(value) === value;
  if (typeof value === 'number')
    return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER;
  if (value && typeof value === 'object') return Object.values(value).every(storable);
  return true;
}

/** One request to a route: path params, a query string and a body, from the schemas. */
export function requestFor(r: RouteSchema): fc.Arbitrary<GeneratedRequest> {
  const pathArbs: Record<string, fc.Arbitrary<string>> = {};
  for (const [k, s] of Object.entries(r.path)) pathArbs[k] = wireValue(s, k);
  const queryArbs: Record<string, fc.Arbitrary<string>> = {};
  for (const [k, q] of Object.entries(r.query)) queryArbs[k] = wireValue(q.schema, k);
  const hasBody = !['GET', 'DELETE'].includes(r.method);
  // now and then a parameter the route does not declare: someone else's id, or junk
  const undeclared = PROBE_PARAMS.filter((p) => !Object.hasOwn(r.query, p));
  const extra = fc.oneof(
    { weight: 5, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom(...undeclared),
        fc.oneof(idLike.map(String), hostileString),
      ),
    },
  );
  return fc
    .tuple(
      fc.record(pathArbs),
      fc.record(queryArbs, { requiredKeys: [] }),
      hasBody ? fuzzFor(r.body) : fc.constant(undefined),
      extra,
    )
    .map(([params, query, body, extraParam]) => {
      const path = r.url.replace(/:([A-Za-z]+)/g, (_m, k: string) =>
        encodeURIComponent(wellFormed(params[k] ?? 'x')),
      );
      // an empty path segment matches no route at all (404): nothing to learn from the extra
      const added = path.includes('//') ? null : extraParam;
      const entries = Object.entries(query).map(([k, v]): [string, string] => [
        k,
        wellFormed(v ?? ''),
      ]);
      if (added) entries.push([added[0], wellFormed(added[1])]);
      const qs = new URLSearchParams(entries).toString();
      return {
        url: qs ? `${path}?${qs}` : path,
        body,
        ...(added ? { undeclared: added[0] } : {}),
      };
    });
}

/** Signs of an implementation detail leaking into an answer. */
const LEAKS: [string, RegExp][] = [
  ['stack frame', /\bat [\w$.<>]+ \(?(file:\/\/|\/|node:)[^)]*:\d+:\d+/],
  ['source path', /\/(work|src|node_modules)\/[\w./-]+\.(ts|js)/],
  [
    'PostgreSQL error',
    /syntax error at or near|violates (check|foreign key|unique|not-null) constraint|duplicate key value|invalid input syntax|relation "\w+" does not exist|column "\w+" does not exist|could not serialize access/i,
  ],
  [
    'driver error',
    /\b(PGlite|kysely|ECONNREFUSED|DatabaseError|TypeError|ReferenceError|RangeError)\b/,
  ],
];
/** SQL text in an error answer (2xx answers may legitimately echo stored SQL-looking text). */
const SQL_IN_ERROR = /\b(select\s.+\sfrom|insert\s+into|update\s+\w+\s+set|delete\s+from)\b/i;

/** What is wrong with one answer, if anything. */
export function answerProblems(status: number, body: string): string[] {
  const out: string[] = [];
  if (status >= 500) out.push(`status ${status}`);
  for (const [name, re] of LEAKS) if (re.test(body)) out.push(`${name} in answer`);
  if (status >= 400 && SQL_IN_ERROR.test(body)) out.push('SQL text in error answer');
  return out;
}

/** Tables a refused request may still write (counting attempts is the point of them). */
export const WRITTEN_ON_REFUSAL = new Set([
  'rate_limits',
  'otp_codes',
  'sessions',
  'audit_log',
  'schema_migrations',
]);

/** Row counts of every table, in one round trip. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const names = tables.rows.map((r) => r.table_name);
  const select = names.map((n) => `(select count(*) from "${n}")::int as "${n}"`).join(', ');
  const row = (await sql.raw<Record<string, number>>(`select ${select}`).execute(db)).rows[0]!;
  return Object.fromEntries(names.map((n) => [n, Number(row[n])]));
}

async function hasColumn(db: Db, table: string, column: string): Promise<boolean> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from information_schema.columns
     where table_schema = 'public' and table_name = ${table} and column_name = ${column}`.execute(
    db,
  );
  return Number(r.rows[0]!.n) > 0;
}

/**
 * The invariants of the books and the order lifecycle, as a list of what is broken
 * (empty when all hold): ledger balanced; no queue entry over-filled; no reward whose
 * pending transfer was resolved twice or disagrees with its state; every settled order
 * settled once; no order without lines (except in-store charges); no dead job.
 */
export async function brokenInvariants(db: Db): Promise<string[]> {
  const out: string[] = [];
  const ledger = await verifyLedger(db);
  if (!ledger.balanced) out.push(`ledger not balanced: ${JSON.stringify(ledger)}`);
  const q = async (label: string, query: string) => {
    const rows = (await sql.raw<Record<string, unknown>>(query).execute(db)).rows;
    if (rows.length) out.push(`${label}: ${JSON.stringify(rows.slice(0, 5))}`);
  };
  await q(
    'queue entry over-filled',
    `select id, received_fen, entitlement_fen from queue_entries where received_fen > entitlement_fen`,
  );
  await q(
    'reward state disagrees with its ledger transfer',
    `select r.id, r.state, t.kind from rewards r
       left join ledger_transfers t on t.pending_id = r.transfer_id
      where (r.state = 'pending' and t.id is not null)
         or (r.state = 'available' and (t.kind is distinct from 'post_pending'))
         or (r.state = 'cancelled' and (t.kind is distinct from 'void_pending'))`,
  );
  await q(
    'reward paid twice (two rewards on one pending transfer)',
    `select transfer_id, count(*) from rewards group by transfer_id having count(*) > 1`,
  );
  await q(
    'order paid twice',
    `select order_id, count(*) from payments where status = 'paid' and orphan_refund_no is null
      group by order_id having count(*) > 1`,
  );
  await q(
    'payment booked twice in the ledger',
    `select idempotency_key, count(*) from ledger_transfers where idempotency_key like 'payment:%'
      group by idempotency_key having count(*) > 1`,
  );
  await q(
    'paid payment without its gateway transfer',
    `select p.id from payments p where p.status = 'paid' and not exists
       (select 1 from ledger_transfers t where t.idempotency_key = 'payment:' || p.out_trade_no)`,
  );
  await q(
    'order state disagrees with its payment',
    `select o.id, o.state from orders o where o.state in ('paid','shipped','completed')
        and o.payable_fen > 0 and not exists
       (select 1 from payments p where p.order_id = o.id and p.status = 'paid' and p.orphan_refund_no is null)`,
  );
  await q(
    'settled order not marked settled for the rules',
    `select o.id from orders o join order_rule_state s on s.order_id = o.id
      where o.settled_at is not null and s.settled = false and s.refunded = false`,
  );
  await q(
    'rules think an order settled that is not',
    `select s.order_id from order_rule_state s join orders o on o.id = s.order_id
      where s.settled and o.settled_at is null`,
  );
  await q(
    'paid order unknown to the rules',
    `select o.id from orders o where o.paid_at is not null
        and not exists (select 1 from order_rule_state s where s.order_id = o.id)`,
  );
  const inStore = (await hasColumn(db, 'orders', 'cashier_id')) ? 'and o.cashier_id is null' : '';
  await q(
    'order without lines',
    `select o.id from orders o where not exists (select 1 from order_lines l where l.order_id = o.id) ${inStore}`,
  );
  await q('dead job', `select id, kind, last_error from jobs where status = 'dead'`);
  return out;
}
