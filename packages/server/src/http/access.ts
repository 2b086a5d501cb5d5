import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { AppError } from '../errors/index.ts';

/**
 * Who may call a route. Every /api route declares one (the server refuses to start
 * otherwise): `public`, `user` (anyone signed in), or a list of roles.
 */
export type Access = 'public' | 'user' | readonly Role[];

export interface AuthUser {
  id: number;
  role: Role;
  storeId: number | null;
  nickname: string;
}

export interface AuthContext {
  user: AuthUser;
  sessionId: number;
  csrfToken: string;
  via: 'cookie' | 'bearer';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** a money-moving POST: requires an Idempotency-Key header */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export const SESSION_COOKIE = 'fanli_session';
export const CSRF_COOKIE = 'fanli_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(h);
  return m?.[1];
}

async function loadSession(db: Db, token: string, now: Date) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id as session_id', 's.csrf_token', 'u.id', 'u.role', 'u.store_id', 'u.nickname'])
    .where('s.token_hash', '=', hashToken(token))
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('u.status', '=', 'active')
    .executeTakeFirst();
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Identifies the caller (bearer token or session cookie), then enforces the route's
 * declared access. Cookie-authenticated writes must echo the session's CSRF token in a
 * header, which a cross-site form cannot do; bearer clients are not exposed to CSRF.
 */
export function authenticate(db: Db, now: () => Date) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    req.auth = null;
    const access = req.routeOptions.config.access;
    if (access === undefined) return; // non-API routes (static files, docs)
    const fromBearer = bearer(req);
    const token = fromBearer ?? req.cookies[SESSION_COOKIE];
    if (token) {
      const row = await loadSession(db, token, now());
      if (row) {
        req.auth = {
          user: { id: row.id, role: row.role, storeId: row.store_id, nickname: row.nickname },
          sessionId: row.session_id,
          csrfToken: row.csrf_token,
          via: fromBearer ? 'bearer' : 'cookie',
        };
      }
    }
    if (access === 'public') return;
    if (!req.auth) throw new AppError('UNAUTHENTICATED');
    if (access !== 'user' && !access.includes(req.auth.user.role)) throw new AppError('FORBIDDEN');
    if (req.auth.via === 'cookie' && !SAFE_METHODS.has(req.method)) {
      if (req.headers[CSRF_HEADER] !== req.auth.csrfToken) throw new AppError('CSRF_FAILED');
    }
  };
}

/** The signed-in user of a route whose access is not `public`. */
export function currentUser(req: FastifyRequest): AuthUser {
  if (!req.auth) throw new AppError('UNAUTHENTICATED');
  return req.auth.user;
}

/** Who runs the shop from the console: staff and admins. */
export const STAFF = ['staff', 'admin'] as const satisfies readonly Role[];
/** Who may change who runs the shop, its money and its rules. */
export const ADMIN = ['admin'] as const satisfies readonly Role[];

export const isStaff = (user: AuthUser) => (STAFF as readonly Role[]).includes(user.role);
