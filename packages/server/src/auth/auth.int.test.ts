import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerFor,
  nextPhone,
  signUpShopper,
  staffUser,
  testApp,
  type TestApp,
} from '../../test/app.ts';
import { OTP_TTL_MS } from './otp.ts';
import { LOCK_MS } from './service.ts';
import { ConsoleSmsProvider } from './sms.ts';
import { buildApp } from '../app/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t.close());

const login = (phone: string, password: string, lang = 'zh-CN', ip = '127.0.0.1') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { phone, password },
    headers: { 'accept-language': lang },
    remoteAddress: ip,
  });

describe('sign-up', () => {
  it('binds the referrer for good and records the privacy consent version', async () => {
    const referrer = await signUpShopper(t);
    const friend = await signUpShopper(t, { referralCode: referrer.referralCode.toLowerCase() });
    const me = await friend.request({ method: 'GET', url: '/api/v1/auth/me' });
    expect(me.json().user.referrerId).toBe(referrer.userId);
    const consent = await t.deps.db
      .selectFrom('consents')
      .selectAll()
      .where('user_id', '=', friend.userId)
      .execute();
    expect(consent).toEqual([
      expect.objectContaining({ document: 'privacy', version: t.deps.config.privacyPolicyVersion }),
    ]);
    const friends = await referrer.request({ method: 'GET', url: '/api/v1/referrals' });
    expect(friends.json().friends).toHaveLength(1);
    expect(friends.json().friends[0].nickname).toMatch(/\*\*$/);
  });

  it('refuses sign-up without privacy consent, with an unknown referral code, or a reused phone', async () => {
    const phone = nextPhone();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone, purpose: 'register' },
    });
    const code = t.sms.lastCode(phone)!;
    const noConsent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { phone, code, password: 'secret123' },
    });
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().code).toBe('PRIVACY_CONSENT_REQUIRED');
    const badRef = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        phone,
        code,
        password: 'secret123',
        privacyVersion: t.deps.config.privacyPolicyVersion,
        referralCode: 'ZZZZZZZZ',
      },
    });
    expect(badRef.json().code).toBe('REFERRAL_CODE_INVALID');
    // the failed attempt rolled back: the code is still good for a correct request
    const good = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        phone,
        code,
        password: 'secret123',
        privacyVersion: t.deps.config.privacyPolicyVersion,
      },
    });
    expect(good.statusCode).toBe(200);
    t.clock.advance(61_000);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone, purpose: 'register' },
    });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        phone,
        code: t.sms.lastCode(phone)!,
        password: 'secret123',
        privacyVersion: t.deps.config.privacyPolicyVersion,
      },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('PHONE_TAKEN');
  });

  it('rejects bad input with a stable code and a message in the asked language', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { phone: '12345', code: 'abc' },
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'The request is not valid',
    });
    const zh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { phone: '12345' },
    });
    expect(zh.json().message).toBe('请求参数不正确');
  });
});

describe('password sign-in', () => {
  it('refuses a wrong password without saying whether the phone exists', async () => {
    const u = await signUpShopper(t, { password: 'rightpass1' });
    const wrong = await login(u.phone, 'wrongpass1', 'en');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({
      code: 'INVALID_CREDENTIALS',
      message:
        'Wrong phone number or password; after 5 failures wait 15 minutes or sign in with a code',
    });
    const unknown = await login(nextPhone(), 'wrongpass1', 'en');
    expect(unknown.json()).toEqual(wrong.json());
    expect((await login(u.phone, 'rightpass1')).statusCode).toBe(200);
  });

  it('answers an unknown phone and a known one alike, through the lockout, with parallel guesses all counted', async () => {
    const u = await signUpShopper(t, { password: 'rightpass1' });
    const stranger = nextPhone();
    const attacker = '198.51.100.66';
    const answers = async (phone: string) => {
      // 20 guesses at once (the address's 50 sign-ins per 10 minutes cover both phones)
      const all = await Promise.all(
        Array.from({ length: 20 }, () => login(phone, 'wrongpass9', 'en', attacker)),
      );
      return all.map((r) => [r.statusCode, r.body]);
    };
    const known = await answers(u.phone);
    const unknown = await answers(stranger);
    expect(known).toEqual(unknown);
    expect(new Set(known.map((a) => JSON.stringify(a)))).toEqual(
      new Set([
        JSON.stringify([
          401,
          JSON.stringify({
            code: 'INVALID_CREDENTIALS',
            message:
              'Wrong phone number or password; after 5 failures wait 15 minutes or sign in with a code',
          }),
        ]),
      ]),
    );
    // even the right password is refused from the attacker's address until the window ends
    const locked = await login(u.phone, 'rightpass1', 'en', attacker);
    expect([locked.statusCode, locked.body]).toEqual(known[0]);
    // …while the owner, from their own network, is not locked out
    expect((await login(u.phone, 'rightpass1', 'en', '203.0.113.80')).statusCode).toBe(200);
    t.clock.advance(LOCK_MS + 1000);
    expect((await login(u.phone, 'rightpass1', 'en', attacker)).statusCode).toBe(200);
  });

  it('clears the count of wrong passwords when the right one is given', async () => {
    const u = await signUpShopper(t, { password: 'rightpass1' });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await login(u.phone, 'wrongpass9')).statusCode).toBe(401);
      expect((await login(u.phone, 'rightpass1')).statusCode).toBe(200);
    }
  });

  it('rotates the session at sign-in and revokes it at logout', async () => {
    const u = await signUpShopper(t, { password: 'rightpass1' });
    const first = await login(u.phone, 'rightpass1');
    const firstToken = first.json().token as string;
    const cookie = `fanli_session=${firstToken}`;
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: u.phone, password: 'rightpass1' },
      headers: { cookie },
    });
    const secondToken = second.json().token as string;
    expect(secondToken).not.toBe(firstToken);
    expect(secondToken.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    expect(
      (
        await callerFor(t.app, u.userId, firstToken).request({
          method: 'GET',
          url: '/api/v1/auth/me',
        })
      ).statusCode,
    ).toBe(401);
    const caller = callerFor(t.app, u.userId, secondToken);
    expect((await caller.request({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    expect((await caller.request({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(
      200,
    );
    expect((await caller.request({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });

  it('sets an httpOnly session cookie and requires the CSRF header on cookie-authenticated writes', async () => {
    const u = await signUpShopper(t, { password: 'rightpass1' });
    const res = await login(u.phone, 'rightpass1');
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] as string | string[]);
    expect(setCookie.find((c) => c.startsWith('fanli_session='))).toMatch(/HttpOnly/i);
    expect(setCookie.find((c) => c.startsWith('fanli_session='))).toMatch(/SameSite=Lax/i);
    const cookie = `fanli_session=${res.json().token}`;
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('CSRF_FAILED');
    const withCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': res.json().csrfToken },
    });
    expect(withCsrf.statusCode).toBe(200);
  });
});

describe('one-time codes', () => {
  it('signs in with a code once; the same code cannot be used again', async () => {
    const u = await signUpShopper(t);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone: u.phone, purpose: 'login' },
    });
    const code = t.sms.lastCode(u.phone)!;
    const uses = await Promise.all(
      [1, 2, 3].map(() =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { phone: u.phone, code },
        }),
      ),
    );
    expect(uses.map((r) => r.statusCode).sort()).toEqual([200, 400, 400]);
    expect(uses.find((r) => r.statusCode === 400)!.json().code).toBe('OTP_INVALID');
  });

  it('expires a code after 10 minutes', async () => {
    const u = await signUpShopper(t);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone: u.phone, purpose: 'login' },
    });
    const code = t.sms.lastCode(u.phone)!;
    t.clock.advance(OTP_TTL_MS + 1000);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: u.phone, code },
    });
    expect(res.json().code).toBe('OTP_INVALID');
  });

  it('burns a code after 5 wrong guesses', async () => {
    const u = await signUpShopper(t);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone: u.phone, purpose: 'login' },
    });
    const code = t.sms.lastCode(u.phone)!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { phone: u.phone, code: wrong },
      });
    }
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: u.phone, code },
    });
    expect(res.json().code).toBe('OTP_INVALID');
  });

  it('limits codes per phone (one a minute) and per IP', async () => {
    const phone = nextPhone();
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone, purpose: 'register' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().devCode).toBeUndefined(); // codes are only echoed by the console provider in demo mode
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone, purpose: 'register' },
    });
    expect(second.statusCode).toBe(429);
    expect(second.json().code).toBe('RATE_LIMITED');
    t.clock.advance(2 * 60 * 60_000);
    const results = [];
    for (let i = 0; i < 21; i++) {
      results.push(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/otp',
          payload: { phone: nextPhone(), purpose: 'register' },
          remoteAddress: '10.9.9.9',
        }),
      );
    }
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(1);
  });
});

describe('demo mode', () => {
  it('shows a code on screen only to sign up a new phone, never for an existing account (the admin’s included)', async () => {
    const admin = await staffUser(t, 'admin');
    const shopper = await signUpShopper(t, { password: 'rightpass1' });
    const demo = await buildApp(
      {
        ...t.deps,
        config: { ...t.deps.config, demo: true },
        sms: new ConsoleSmsProvider({ write: () => {} }),
      },
      { logger: false, web: false },
    );
    const ask = async (phone: string, purpose: 'login' | 'register') => {
      t.clock.advance(2 * 60 * 60_000); // past the per-phone and per-IP code limits
      const res = await demo.inject({
        method: 'POST',
        url: '/api/v1/auth/otp',
        payload: { phone, purpose },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().devCode as string | undefined;
    };
    expect(await ask(nextPhone(), 'register')).toMatch(/^\d{6}$/);
    for (const phone of [admin.phone, shopper.phone]) {
      expect(await ask(phone, 'login')).toBeUndefined();
      expect(await ask(phone, 'register')).toBeUndefined();
    }
    await demo.close();
  });
});

describe('roles and ownership', () => {
  it('refuses staff routes to shoppers and anonymous callers', async () => {
    const shopper = await signUpShopper(t);
    expect((await shopper.request({ method: 'GET', url: '/api/v1/admin/users' })).statusCode).toBe(
      403,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/users' })).statusCode).toBe(
      401,
    );
    const staff = await staffUser(t, 'staff');
    expect((await staff.request({ method: 'GET', url: '/api/v1/admin/users' })).statusCode).toBe(
      200,
    );
    // staff is not admin
    expect((await staff.request({ method: 'GET', url: '/api/v1/admin/audit' })).statusCode).toBe(
      403,
    );
  });

  it("does not let shopper A read shopper B's data", async () => {
    const a = await signUpShopper(t);
    const b = await signUpShopper(t);
    const peek = await a.request({ method: 'GET', url: `/api/v1/users/${b.userId}` });
    expect(peek.statusCode).toBe(404);
    expect((await a.request({ method: 'GET', url: `/api/v1/users/${a.userId}` })).statusCode).toBe(
      200,
    );
    // the wallet route has no id at all: it is always the caller's own
    const wallet = await a.request({ method: 'GET', url: '/api/v1/wallet' });
    expect(wallet.json().cash).toEqual({ available: 0, pendingIn: 0, pendingOut: 0 });
  });

  it('ends every session of a disabled account and refuses its sign-in; records it in the audit log', async () => {
    const u = await signUpShopper(t, { password: 'rightpass1' });
    const admin = await staffUser(t, 'admin');
    const res = await admin.request({
      method: 'POST',
      url: `/api/v1/admin/users/${u.userId}/disable`,
    });
    expect(res.statusCode).toBe(200);
    expect((await u.request({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await login(u.phone, 'rightpass1')).json().code).toBe('ACCOUNT_DISABLED');
    const log = await admin.request({ method: 'GET', url: '/api/v1/admin/audit' });
    expect(log.json().items[0]).toMatchObject({
      action: 'user.disable',
      object_type: 'user',
      object_id: String(u.userId),
      actor_id: admin.userId,
    });
  });
});

describe('server surface', () => {
  it('serves the OpenAPI document, security headers, request ids and a health check', async () => {
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toContain('/api/v1/auth/login');
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ status: 'ok' });
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(health.headers['content-security-policy']).toContain("script-src 'self'");
    expect(health.headers['x-request-id']).toBeTruthy();
  });

  it('refuses an oversized body with 413 and a clear code', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: JSON.stringify({ phone: '13900000000', password: 'x'.repeat(2_000_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown API path with 404 NOT_FOUND and malformed JSON with 400', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/nope' })).json().code).toBe(
      'NOT_FOUND',
    );
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: '{"phone":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('BAD_REQUEST');
  });
});
