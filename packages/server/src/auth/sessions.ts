import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Tx } from '../db/tx.ts';
import type { Db } from '../db/database.ts';
import type { Config } from '../config/config.ts';
import { CSRF_COOKIE, SESSION_COOKIE, hashToken } from '../http/access.ts';

/** 256-bit random tokens; only their SHA-256 is stored. */
export const newToken = () => randomBytes(32).toString('base64url');

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  tx: Tx,
  userId: number,
  now: Date,
  ttlHours: number,
  userAgent: string | undefined,
): Promise<NewSession> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  await tx
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      csrf_token: csrfToken,
      user_id: userId,
      created_at: now,
      expires_at: expiresAt,
      revoked_at: null,
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function revokeSession(db: Db | Tx, sessionId: number, now: Date) {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeAllSessions(db: Db | Tx, userId: number, now: Date) {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The session cookie is httpOnly; the CSRF cookie is readable by the page so it can echo it. */
export function setSessionCookies(reply: FastifyReply, session: NewSession, config: Config) {
  const common = {
    path: '/',
    sameSite: 'lax' as const,
    secure: config.cookieSecure,
    expires: session.expiresAt,
  };
  reply.setCookie(SESSION_COOKIE, session.token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
