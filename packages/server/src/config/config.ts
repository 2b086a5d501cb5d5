import { isIP } from 'node:net';
import { resolve } from 'node:path';

/**
 * Configuration comes from the environment with safe defaults; README has the table.
 * A bad value stops the server at start with the variable named.
 */
export interface Config {
  port: number;
  host: string;
  /** unset → embedded PGlite in dataDir */
  databaseUrl: string | undefined;
  dataDir: string;
  databasePoolSize: number;
  logLevel: string;
  /** public base URL (payment notifications, share links) */
  publicUrl: string;
  /** send cookies only over HTTPS; defaults to on when publicUrl is https:// */
  cookieSecure: boolean;
  /**
   * Which X-Forwarded-For hops to believe (Fastify's trustProxy): false none, a number the
   * hops nearest the server, or the proxies' addresses and CIDR ranges.
   */
  trustProxy: false | number | string[];
  bodyLimitBytes: number;
  sessionTtlHours: number;
  smsProvider: 'console' | 'memory';
  /** development: the console SMS provider prints codes in clear instead of masked */
  smsPrintCodes: boolean;
  privacyPolicyVersion: string;
  /** seed the demo shop at start */
  demo: boolean;
  jobsEnabled: boolean;
  jobsPollMs: number;
  /** 'test' adds a forward-only clock offset for end-to-end tests; never in production */
  clock: 'system' | 'test';
  /** FANLI_SANDBOX_SECRET; empty → a random secret kept in the database (instance_secrets) */
  sandboxSecret: string;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name}: must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new Error(`${name}: must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new Error(`${name}: must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/**
 * FANLI_TRUST_PROXY: `true` trusts one proxy (the usual single reverse proxy), a number N
 * the N hops nearest the server, a comma-separated list the proxies at those addresses or
 * CIDR ranges. The client address is then the first untrusted hop from the right of
 * X-Forwarded-For: entries a client writes itself sit to the left and are never believed.
 */
function trustProxy(raw: string | undefined): false | number | string[] {
  const value = raw?.trim() ?? '';
  if (value === '' || /^(false|no|off|0)$/i.test(value)) return false;
  if (/^(true|yes|on)$/i.test(value)) return 1;
  if (/^[0-9]+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new Error(`FANLI_TRUST_PROXY: at most 10 hops, got "${raw}"`);
    return hops;
  }
  const entries = value.split(',').map((s) => s.trim());
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const version = isIP(address);
    const maxBits = version === 6 ? 128 : 32;
    const goodBits = bits === undefined || (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (!version || !goodBits || extra !== undefined) {
      throw new Error(
        `FANLI_TRUST_PROXY: must be true, a number of hops, or proxy addresses/CIDR ranges separated by commas, got "${entry}"`,
      );
    }
  }
  return entries;
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL: must start with postgres:// or postgresql://');
  }
  const config: Config = {
    port,
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir: resolve(env.FANLI_DATA_DIR || './data'),
    databasePoolSize: int(env, 'FANLI_DB_POOL_SIZE', 10, 1, 500),
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'info',
    ),
    publicUrl: (env.FANLI_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    cookieSecure: false,
    trustProxy: trustProxy(env.FANLI_TRUST_PROXY),
    bodyLimitBytes: int(env, 'FANLI_BODY_LIMIT_BYTES', 1_048_576, 1024, 52_428_800),
    sessionTtlHours: int(env, 'FANLI_SESSION_TTL_HOURS', 24 * 30, 1, 24 * 365),
    smsProvider: oneOf(env, 'FANLI_SMS_PROVIDER', ['console', 'memory'] as const, 'console'),
    smsPrintCodes: bool(env, 'FANLI_SMS_PRINT_CODES', false),
    privacyPolicyVersion: env.FANLI_PRIVACY_VERSION || '2026-01',
    demo: bool(env, 'FANLI_DEMO', false),
    jobsEnabled: bool(env, 'FANLI_JOBS', true),
    jobsPollMs: int(env, 'FANLI_JOBS_POLL_MS', 1000, 10, 600_000),
    clock: oneOf(env, 'FANLI_CLOCK', ['system', 'test'] as const, 'system'),
    sandboxSecret: env.FANLI_SANDBOX_SECRET || '',
    ...overrides,
  };
  // Secure cookies whenever the public address is HTTPS, unless told otherwise.
  if (overrides.cookieSecure === undefined) {
    config.cookieSecure = bool(env, 'FANLI_COOKIE_SECURE', config.publicUrl.startsWith('https://'));
  }
  // read where day boundaries are computed (config/timezone.ts SHOP_TIMEZONE); checked here
  // so a typo stops the server at start instead of failing the first order
  if (env.FANLI_TIMEZONE) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: env.FANLI_TIMEZONE });
    } catch {
      throw new Error(
        `FANLI_TIMEZONE: must be an IANA time zone such as Asia/Shanghai, got "${env.FANLI_TIMEZONE}"`,
      );
    }
  }
  if (config.clock === 'test' && env.NODE_ENV === 'production') {
    throw new Error('FANLI_CLOCK: the test clock cannot run with NODE_ENV=production');
  }
  if (config.sandboxSecret && config.sandboxSecret.length < 16) {
    throw new Error('FANLI_SANDBOX_SECRET: must be at least 16 characters');
  }
  // Demo mode hands out sign-up codes on screen and the sandbox takes no money: neither
  // belongs in a real shop unless someone says so on purpose.
  if (env.NODE_ENV === 'production') {
    if (config.demo && !bool(env, 'FANLI_ALLOW_DEMO_IN_PRODUCTION', false)) {
      throw new Error(
        'FANLI_DEMO: demo mode cannot run with NODE_ENV=production (set FANLI_ALLOW_DEMO_IN_PRODUCTION=true to run it anyway)',
      );
    }
    const providers = (env.FANLI_PAYMENT_PROVIDERS ?? 'sandbox').split(',').map((p) => p.trim());
    if (providers.includes('sandbox') && !bool(env, 'FANLI_ALLOW_SANDBOX_IN_PRODUCTION', false)) {
      throw new Error(
        'FANLI_PAYMENT_PROVIDERS: the sandbox (the default) takes no real money and cannot run with NODE_ENV=production; list wechatpay and/or alipay (docs/payments.md), or set FANLI_ALLOW_SANDBOX_IN_PRODUCTION=true to run it anyway',
      );
    }
  }
  return config;
}
