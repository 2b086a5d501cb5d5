import type { AppDeps } from '../http/deps.ts';
import { inTxResult, type Tx } from '../db/tx.ts';
import { err, ok, type Result } from '../errors/index.ts';
import type { Role, User } from '../db/schema.ts';
import { hit } from '../rate-limit/rate-limit.ts';
import { hashPassword, isAcceptablePassword, verifyPassword } from './passwords.ts';
import { consumeOtp, issueOtp, recordOtpFailure, type OtpPurpose } from './otp.ts';
import { createSession, revokeSession, type NewSession } from './sessions.ts';
import { newReferralCode } from '../users/referral-code.ts';
import { createHash } from 'node:crypto';

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface RequestMeta {
  ip: string;
  userAgent: string | undefined;
  /** the session the request came with, replaced at sign-in */
  previousSessionId?: number | undefined;
}

export interface PublicUser {
  id: number;
  role: Role;
  nickname: string;
  phoneMasked: string | null;
  referralCode: string;
  referrerId: number | null;
  storeId: number | null;
  createdAt: string;
}

export function publicUser(
  u: Pick<
    User,
    | 'id'
    | 'role'
    | 'nickname'
    | 'phone'
    | 'referral_code'
    | 'referrer_id'
    | 'store_id'
    | 'created_at'
  >,
): PublicUser {
  return {
    id: u.id,
    role: u.role,
    nickname: u.nickname,
    phoneMasked: u.phone ? `${u.phone.slice(0, 3)}****${u.phone.slice(-4)}` : null,
    referralCode: u.referral_code,
    referrerId: u.referrer_id,
    storeId: u.store_id,
    createdAt: new Date(u.created_at).toISOString(),
  };
}

// rate-limit buckets carry a hash, not the phone number itself
const phoneKey = (phone: string) => createHash('sha256').update(phone).digest('hex').slice(0, 24);

export async function requestOtp(
  deps: AppDeps,
  input: { phone: string; purpose: OtpPurpose },
  meta: RequestMeta,
): Promise<Result<{ expiresInSeconds: number; devCode?: string }>> {
  const now = deps.clock.now();
  const p = phoneKey(input.phone);
  const allowed =
    (await hit(deps.db, { bucket: `otp:phone:${p}`, max: 1, windowMs: MINUTE }, now)) &&
    (await hit(deps.db, { bucket: `otp:phone-hour:${p}`, max: 5, windowMs: HOUR }, now)) &&
    (await hit(deps.db, { bucket: `otp:ip:${meta.ip}`, max: 20, windowMs: HOUR }, now));
  if (!allowed) return err('RATE_LIMITED');
  const code = await issueOtp(deps.db, input.phone, input.purpose, now);
  await deps.sms.send(
    input.phone,
    `【返利】验证码 ${code}，10 分钟内有效。Your Fanli code is ${code}.`,
  );
  // The demo works without SMS: the console provider in demo mode hands the code back,
  // but only to sign up a phone that has no account. A code for an existing account
  // would be a key to it (the admin's included); demo accounts sign in with passwords.
  const devCode =
    deps.sms.name === 'console' &&
    deps.config.demo &&
    input.purpose === 'register' &&
    !(await deps.db
      .selectFrom('users')
      .select('id')
      .where('phone', '=', input.phone)
      .executeTakeFirst())
      ? code
      : undefined;
  return ok({ expiresInSeconds: 600, ...(devCode ? { devCode } : {}) });
}

interface UserFields {
  phone: string;
  password_hash: string | null;
  role: Role;
  nickname: string;
  referrer_id: number | null;
  referred_at: Date | null;
  store_id: number | null;
  privacy_version: string | null;
  privacy_consented_at: Date | null;
}

/** Inserts a user with a fresh referral code; undefined when the phone is taken. */
export async function insertUniqueUser(tx: Tx, values: UserFields): Promise<User | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await tx
      .insertInto('users')
      .values({ ...values, referral_code: newReferralCode(), locked_until: null })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return row;
    const taken = await tx
      .selectFrom('users')
      .select('id')
      .where('phone', '=', values.phone)
      .executeTakeFirst();
    if (taken) return undefined; // phone taken; otherwise the referral code collided: try another
  }
  throw new Error('could not allocate a referral code');
}

export interface RegisterInput {
  phone: string;
  code: string;
  password?: string | undefined;
  nickname?: string | undefined;
  referralCode?: string | undefined;
  privacyVersion?: string | undefined;
}

/**
 * Signs a shopper up: the phone is proven by a one-time code, the privacy policy version
 * accepted is recorded, and a referral code binds the new user to the referrer for good.
 */
export async function register(
  deps: AppDeps,
  input: RegisterInput,
  meta: RequestMeta,
): Promise<Result<{ user: PublicUser; session: NewSession }>> {
  const now = deps.clock.now();
  if (!input.privacyVersion) return err('PRIVACY_CONSENT_REQUIRED');
  if (input.privacyVersion !== deps.config.privacyPolicyVersion)
    return err('PRIVACY_VERSION_OUTDATED');
  if (input.password !== undefined && !isAcceptablePassword(input.password))
    return err('WEAK_PASSWORD');
  if (!(await hit(deps.db, { bucket: `register:ip:${meta.ip}`, max: 10, windowMs: HOUR }, now))) {
    return err('RATE_LIMITED');
  }
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
  const result = await inTxResult(deps.db, async (tx) => {
    if (!(await consumeOtp(tx, input.phone, 'register', input.code, now)))
      return err('OTP_INVALID');
    let referrerId: number | null = null;
    if (input.referralCode) {
      const referrer = await tx
        .selectFrom('users')
        .select('id')
        .where('referral_code', '=', input.referralCode.toUpperCase())
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (!referrer) return err('REFERRAL_CODE_INVALID');
      referrerId = referrer.id;
    }
    const user = await insertUniqueUser(tx, {
      phone: input.phone,
      password_hash: passwordHash,
      role: 'shopper',
      nickname: input.nickname?.trim() || `用户${input.phone.slice(-4)}`,
      referrer_id: referrerId,
      referred_at: referrerId ? now : null,
      store_id: null,
      privacy_version: input.privacyVersion!,
      privacy_consented_at: now,
    });
    if (!user) return err('PHONE_TAKEN');
    await tx
      .insertInto('consents')
      .values({
        user_id: user.id,
        document: 'privacy',
        version: input.privacyVersion!,
        accepted_at: now,
        ip: meta.ip,
      })
      .execute();
    const session = await createSession(
      tx,
      user.id,
      now,
      deps.config.sessionTtlHours,
      meta.userAgent,
    );
    return ok({ user: publicUser(user), session });
  });
  if (!result.ok && result.code === 'OTP_INVALID')
    await recordOtpFailure(deps.db, input.phone, 'register', now);
  return result;
}

async function startSession(deps: AppDeps, tx: Tx, user: User, meta: RequestMeta, now: Date) {
  // rotation: whatever session the request carried is ended; the new one has a new token
  if (meta.previousSessionId) await revokeSession(tx, meta.previousSessionId, now);
  return createSession(tx, user.id, now, deps.config.sessionTtlHours, meta.userAgent);
}

/**
 * Password sign-in. Five attempts per phone from one IP address per 15-minute window: the
 * attempt is counted before the password is checked (one guarded statement, so parallel
 * guesses all count) and a success clears the count. Keyed by phone and IP, a stranger's
 * guesses do not lock the owner out from their own network. Unknown phone, wrong password
 * and too many attempts answer alike, so the answer does not tell who has an account.
 */
export async function loginWithPassword(
  deps: AppDeps,
  input: { phone: string; password: string },
  meta: RequestMeta,
): Promise<Result<{ user: PublicUser; session: NewSession }>> {
  const now = deps.clock.now();
  if (
    !(await hit(deps.db, { bucket: `login:ip:${meta.ip}`, max: 50, windowMs: 10 * MINUTE }, now))
  ) {
    return err('RATE_LIMITED');
  }
  const attempts = passwordAttempts(input.phone, meta.ip);
  if (!(await hit(deps.db, attempts, now))) return err('INVALID_CREDENTIALS');
  const user = await deps.db
    .selectFrom('users')
    .selectAll()
    .where('phone', '=', input.phone)
    .executeTakeFirst();
  const good = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !good) return err('INVALID_CREDENTIALS');
  if (user.status !== 'active') return err('ACCOUNT_DISABLED');
  return inTxResult(deps.db, async (tx) => {
    await tx.deleteFrom('rate_limits').where('bucket', '=', attempts.bucket).execute();
    const session = await startSession(deps, tx, user, meta, now);
    return ok({ user: publicUser(user), session });
  });
}

/** The password attempts one IP address has at one phone number. */
const passwordAttempts = (phone: string, ip: string) => ({
  bucket: `login:phone-ip:${phoneKey(phone)}:${ip}`,
  max: LOCK_AFTER_FAILURES,
  windowMs: LOCK_MS,
});

/** One-time-code sign-in for an existing account. */
export async function loginWithOtp(
  deps: AppDeps,
  input: { phone: string; code: string },
  meta: RequestMeta,
): Promise<Result<{ user: PublicUser; session: NewSession }>> {
  const now = deps.clock.now();
  if (
    !(await hit(deps.db, { bucket: `login:ip:${meta.ip}`, max: 50, windowMs: 10 * MINUTE }, now))
  ) {
    return err('RATE_LIMITED');
  }
  const result = await inTxResult(deps.db, async (tx) => {
    if (!(await consumeOtp(tx, input.phone, 'login', input.code, now))) return err('OTP_INVALID');
    const user = await tx
      .selectFrom('users')
      .selectAll()
      .where('phone', '=', input.phone)
      .executeTakeFirst();
    if (!user) return err('OTP_INVALID');
    if (user.status !== 'active') return err('ACCOUNT_DISABLED');
    const session = await startSession(deps, tx, user, meta, now);
    return ok({ user: publicUser(user), session });
  });
  if (!result.ok && result.code === 'OTP_INVALID')
    await recordOtpFailure(deps.db, input.phone, 'login', now);
  return result;
}
