import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { authenticate, type Access } from '../http/access.ts';
import { registerErrorHandling } from '../http/errors.ts';
import { AppError } from '../errors/index.ts';
import type { App, AppDeps } from '../http/deps.ts';
import type { Config } from '../config/config.ts';
import { registryOf } from './registry.ts';
import { serveWebApps } from '../http/static.ts';
import { helmetHeaders } from '../http/security-headers.ts';
import { storedSandboxSecret } from '../payment-flow/sandbox-secret.ts';
import { closedQuerystring } from '../http/closed-query.ts';

/** Every API route with who may call it: the source of the authorization matrix. */
export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  idempotent: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

export interface BuildOptions {
  /** a pino logger config or false; tests pass false */
  logger?: boolean | Record<string, unknown>;
  /** serve the built shop at / and console at /admin (default true) */
  web?: boolean;
}

/** Log fields that must never reach a log file. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.phone',
  '*.token',
  '*.code',
];

/**
 * What a request log line says: method, path, and the names — not the values — of its
 * query parameters (a search box may hold a phone number), plus where it came from.
 */
export function serializeRequest(req: { method: string; url: string; ip?: string; id?: string }) {
  const [path, query] = req.url.split('?', 2);
  const keys = query ? [...new URLSearchParams(query).keys()].map((k) => `${k}=…`).join('&') : '';
  return { method: req.method, url: keys ? `${path}?${keys}` : path, remoteAddress: req.ip };
}

export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<App> {
  // a route's use-case finds the listeners and hooks through its database handle: one
  // that carries another registry would run other modules than the routes mounted
  if (registryOf(deps.db) !== deps.registry)
    throw new Error('deps.db does not carry deps.registry: build deps with composeDeps');
  // Unless configured, the sandbox signs with the secret this database keeps, shared by
  // every process on it; resolved here, before any route or job handler reads it.
  if (!deps.config.sandboxSecret) deps.config.sandboxSecret = await storedSandboxSecret(deps.db);
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            redact: { paths: REDACT, censor: '[redacted]' },
            serializers: { req: serializeRequest },
            ...(typeof options.logger === 'object' ? options.logger : {}),
          },
    bodyLimit: deps.config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(given)
        ? given
        : randomUUID();
    },
    requestIdHeader: false,
    // strings stay strings: no silent coercion of "12abc" into a number in bodies
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    trustProxy: proxyTrust(deps.config.trustProxy),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv =
      httpPart === 'querystring' || httpPart === 'params' || httpPart === 'headers'
        ? queryAjv
        : bodyAjv;
    return ajv.compile(schema);
  });

  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    if (route.config?.access === undefined) {
      throw new Error(`route ${route.method} ${route.url} does not declare who may call it`);
    }
    // A parameter the route does not declare is refused (400), never passed to its handler.
    route.schema = {
      ...route.schema,
      querystring: closedQuerystring(route.schema?.querystring, `${route.method} ${route.url}`),
    };
    for (const method of ([] as string[]).concat(route.method)) {
      if (method !== 'HEAD')
        routeTable.push({
          method,
          url: route.url,
          access: route.config.access,
          idempotent: route.config.idempotent === true,
        });
    }
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  registerErrorHandling(app);
  // PostgreSQL text cannot hold U+0000 and integers beyond 2^53 are not exact in
  // JavaScript (nor within bigint): refused as bad input before any handler runs, instead
  // of failing in the database as a 500.
  app.addHook('preHandler', async (req) => {
    const field =
      unstorable(req.body, 'body') ??
      unstorable(req.query, 'querystring') ??
      unstorable(req.params, 'params');
    if (field) {
      throw new AppError('VALIDATION_FAILED', {
        fields: [
          { field, reason: 'holds a NUL character, broken Unicode or a number out of range' },
        ],
      });
    }
  });
  await app.register(cookie);
  // Security headers (helmet's set), computed once: the same for every response, so each
  // request only copies them (the plugin rebuilt them per request). HTTPS-only directives
  // are sent only when the shop is served over HTTPS: on plain HTTP (a phone on the LAN)
  // upgrade-insecure-requests would send every script and stylesheet to a port that
  // does not speak TLS, and the page stays blank.
  const https = deps.config.publicUrl.startsWith('https://');
  const securityHeaders = helmetHeaders({
    strictTransportSecurity: https,
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: https ? [] : null,
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
  });
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Fanli API',
        version: '1',
        description: 'Referral & rebate commerce platform',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'fanli_session' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.decorateRequest('auth', null);
  // onRequest: an unauthorised caller is refused before its body is even parsed or validated
  app.addHook(
    'onRequest',
    authenticate(deps.db, () => deps.clock.now()),
  );

  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      return { status: 'ok' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });

  for (const module of deps.registry.modules) {
    const routes = module.routes;
    if (routes) await app.register(async (scope) => routes(scope as App, deps));
  }
  if (options.web !== false) await serveWebApps(app);
  return app;
}

/**
 * Fastify ignores a bare hop count (it trusts no hop then), so N hops is a function that
 * believes the N addresses nearest the server: the socket's peer, then X-Forwarded-For
 * from the right. Addresses and CIDR ranges are passed as they are.
 */
function proxyTrust(trust: Config['trustProxy']) {
  if (typeof trust !== 'number') return trust;
  return (_address: string, hop: number) => hop < trust;
}

// Bodies are JSON and must already carry the right types ("12" is not a number); query
// strings and path params are text on the wire, so only they are coerced.
function makeAjv(coerceTypes: boolean | 'array') {
  const ajv = new Ajv({
    removeAdditional: false,
    coerceTypes,
    useDefaults: true,
    allErrors: false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}
const bodyAjv = makeAjv(false);
const queryAjv = makeAjv('array');

/** The path of the first NUL-holding string or unsafe number in a parsed request part. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorable(value: unknown, path: string, depth = 0): string | undefined {
  // NUL and lone surrogates cannot be stored as PostgreSQL text or jsonb
  if (typeof value === 'string')
    return value.includes('\u0000') || LONE_SURROGATE.test(value) ? path : undefined;
  // Ajv lets Infinity through as an "integer" (a 400-digit query string coerces to it)
  if (typeof value === 'number')
    return !Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER ? path : undefined;
  if (!value || typeof value !== 'object' || Buffer.isBuffer(value) || depth > 32) return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return path;
    const found = unstorable(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}
