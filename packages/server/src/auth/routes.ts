import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../http/deps.ts';
import { OtpCode, Password, Phone } from '../http/schemas.ts';
import { unwrap } from '../errors/index.ts';
import { currentUser } from '../http/access.ts';
import {
  loginWithOtp,
  loginWithPassword,
  register,
  requestOtp,
  publicUser,
  type RequestMeta,
} from './service.ts';
import {
  clearSessionCookies,
  revokeSession,
  setSessionCookies,
  type NewSession,
} from './sessions.ts';

const meta = (req: FastifyRequest): RequestMeta => ({
  ip: req.ip,
  userAgent: req.headers['user-agent'],
  previousSessionId: req.auth?.sessionId,
});

const SessionResponse = Type.Object({
  user: Type.Object({
    id: Type.Integer(),
    role: Type.String(),
    nickname: Type.String(),
    phoneMasked: Type.Union([Type.String(), Type.Null()]),
    referralCode: Type.String(),
    referrerId: Type.Union([Type.Integer(), Type.Null()]),
    storeId: Type.Union([Type.Integer(), Type.Null()]),
    createdAt: Type.String(),
  }),
  token: Type.String({
    description: 'bearer token for API clients; browsers use the httpOnly cookie',
  }),
  csrfToken: Type.String({ description: 'echo in X-CSRF-Token on cookie-authenticated writes' }),
  expiresAt: Type.String(),
});

function sendSession(
  reply: FastifyReply,
  deps: AppDeps,
  value: { user: ReturnType<typeof publicUser>; session: NewSession },
) {
  setSessionCookies(reply, value.session, deps.config);
  return {
    user: value.user,
    token: value.session.token,
    csrfToken: value.session.csrfToken,
    expiresAt: value.session.expiresAt.toISOString(),
  };
}

export function authRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/v1/privacy',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'The current privacy policy version (accepted at sign-up)',
        response: { 200: Type.Object({ version: Type.String() }) },
      },
    },
    async () => ({ version: deps.config.privacyPolicyVersion }),
  );

  app.post(
    '/api/v1/auth/otp',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary:
          'Send a one-time code by SMS (10-minute expiry, single use; rate-limited per phone and per IP)',
        body: Type.Object(
          { phone: Phone, purpose: Type.Union([Type.Literal('register'), Type.Literal('login')]) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            expiresInSeconds: Type.Integer(),
            devCode: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (req) => unwrap(await requestOtp(deps, req.body, meta(req))),
  );

  app.post(
    '/api/v1/auth/register',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary:
          'Sign up with phone + one-time code (password optional); binds the referrer for good',
        body: Type.Object(
          {
            phone: Phone,
            code: OtpCode,
            password: Type.Optional(Password),
            nickname: Type.Optional(Type.String({ maxLength: 40 })),
            referralCode: Type.Optional(
              Type.String({ pattern: '^[0-9A-Za-z]{8}$', description: 'case-insensitive' }),
            ),
            privacyVersion: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: SessionResponse },
      },
    },
    async (req, reply) =>
      sendSession(reply, deps, unwrap(await register(deps, req.body, meta(req)))),
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with phone + password or phone + one-time code; starts a new session',
        body: Type.Union([
          Type.Object({ phone: Phone, password: Password }, { additionalProperties: false }),
          Type.Object({ phone: Phone, code: OtpCode }, { additionalProperties: false }),
        ]),
        response: { 200: SessionResponse },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const result =
        'password' in body
          ? await loginWithPassword(deps, body, meta(req))
          : await loginWithOtp(deps, body, meta(req));
      return sendSession(reply, deps, unwrap(result));
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'user' },
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        response: { 200: Type.Object({ ok: Type.Boolean() }) },
      },
    },
    async (req, reply) => {
      await revokeSession(deps.db, req.auth!.sessionId, deps.clock.now());
      clearSessionCookies(reply);
      return { ok: true };
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { access: 'user' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and the CSRF token of this session',
        response: {
          200: Type.Object({ user: SessionResponse.properties.user, csrfToken: Type.String() }),
        },
      },
    },
    async (req) => {
      const u = await deps.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', currentUser(req).id)
        .executeTakeFirstOrThrow();
      return { user: publicUser(u), csrfToken: req.auth!.csrfToken };
    },
  );
}
