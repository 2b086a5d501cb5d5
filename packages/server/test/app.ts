import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app/app.ts';
import type { App, AppDeps } from '../src/http/deps.ts';
import { loadConfig, type Config } from '../src/config/config.ts';
import { MemorySmsProvider } from '../src/auth/sms.ts';
import { ManualClock } from '../src/clock/clock.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { insertUniqueUser } from '../src/auth/service.ts';
import { inTx } from '../src/db/tx.ts';
import { JobRunner } from '../src/jobs/runner.ts';
import { MODULES } from '../src/app/modules.ts';
import { allJobHandlers, buildRegistry, composeDeps, type Module } from '../src/app/registry.ts';
import type { Role } from '../src/db/schema.ts';
import type { Database } from '../src/db/database.ts';
import { freshDatabase } from './db.ts';

export interface TestApp {
  app: App;
  deps: AppDeps;
  database: Database;
  sms: MemorySmsProvider;
  clock: ManualClock;
  jobs: JobRunner;
  close(): Promise<void>;
}

/** The whole server on a fresh database, driven through `app.inject` — no port, no real SMS, a clock you move. */
export async function testApp(
  overrides: Partial<Config> = {},
  /** the capabilities to run with (default: the module table); a test's own never leaks */
  modules: readonly Module[] = MODULES,
): Promise<TestApp> {
  const database = await freshDatabase();
  const config = loadConfig({}, { logLevel: 'silent', smsProvider: 'memory', ...overrides });
  const sms = new MemorySmsProvider();
  const clock = new ManualClock(new Date('2026-03-01T02:00:00Z'));
  const deps: AppDeps = composeDeps(
    { db: database.db, config, clock, sms },
    buildRegistry(modules),
  );
  const app = await buildApp(deps, { logger: false, web: false });
  await app.ready();
  const jobs = new JobRunner({ db: deps.db, clock, handlers: allJobHandlers(deps) });
  return {
    app,
    deps,
    // its handle carries the registry too, so a test's own transactions run the same modules
    database: { ...database, db: deps.db },
    sms,
    clock,
    jobs,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export interface Caller {
  userId: number;
  token: string;
  /** inject as this user (bearer token) */
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

export function callerFor(app: App, userId: number, token: string): Caller {
  return {
    userId,
    token,
    request: (opts) =>
      app.inject({
        ...opts,
        headers: { ...(opts.headers ?? {}), authorization: `Bearer ${token}` },
      }),
  };
}

let phoneSeq = 0;
/** A fresh phone number per call within a test file. */
export const nextPhone = () =>
  `139${String(process.pid % 10000).padStart(4, '0')}${String(++phoneSeq).padStart(4, '0')}`;

/** Signs a shopper up through the real OTP + register routes. */
export async function signUpShopper(
  t: TestApp,
  opts: { phone?: string; password?: string; referralCode?: string } = {},
): Promise<Caller & { phone: string; referralCode: string }> {
  const phone = opts.phone ?? nextPhone();
  const otp = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/otp',
    payload: { phone, purpose: 'register' },
  });
  if (otp.statusCode !== 200) throw new Error(`otp failed: ${otp.body}`);
  const code = t.sms.lastCode(phone)!;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      phone,
      code,
      password: opts.password ?? 'secret123',
      privacyVersion: t.deps.config.privacyPolicyVersion,
      ...(opts.referralCode ? { referralCode: opts.referralCode } : {}),
    },
  });
  if (res.statusCode !== 200) throw new Error(`register failed: ${res.body}`);
  const body = res.json() as { user: { id: number; referralCode: string }; token: string };
  // each sign-up counts against the per-IP limits; tests move on to the next window
  t.clock.advance(60 * 60_000);
  return {
    ...callerFor(t.app, body.user.id, body.token),
    phone,
    referralCode: body.user.referralCode,
  };
}

/** Creates a staff/cashier/admin account directly and signs it in. */
export async function staffUser(
  t: TestApp,
  role: Exclude<Role, 'shopper'>,
  storeId?: number,
): Promise<Caller & { phone: string }> {
  const phone = nextPhone();
  const password = 'staffpass1';
  const hash = await hashPassword(password);
  let sid = storeId ?? null;
  await inTx(t.deps.db, async (tx) => {
    if (role === 'cashier' && !sid) {
      sid = (
        await tx
          .insertInto('stores')
          .values({ name: 'Test store' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    await insertUniqueUser(tx, {
      phone,
      password_hash: hash,
      role,
      nickname: role,
      referrer_id: null,
      referred_at: null,
      store_id: role === 'cashier' ? sid : null,
      privacy_version: null,
      privacy_consented_at: null,
    });
  });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { phone, password },
  });
  if (res.statusCode !== 200) throw new Error(`staff login failed: ${res.body}`);
  const body = res.json() as { user: { id: number }; token: string };
  return { ...callerFor(t.app, body.user.id, body.token), phone };
}
