import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../http/deps.ts';
import type { Tx } from '../db/tx.ts';
import type { Actor } from '../audit/audit.ts';
import { currentUser } from '../http/access.ts';
import { AppError } from '../errors/index.ts';
import { runIdempotent } from '../idempotency/idempotency.ts';

export const actorOf = (req: FastifyRequest): Actor => {
  const u = currentUser(req);
  return { id: u.id, role: u.role, ip: req.ip };
};

/**
 * Like `idempotentReply`, for money POSTs that must call a provider AFTER their
 * transaction commits: runs `work` once per Idempotency-Key and returns its stored
 * answer (the caller then calls the provider and answers with the fresh state).
 */
export async function runKeyed<T>(
  deps: AppDeps,
  req: FastifyRequest,
  work: (tx: Tx) => Promise<T>,
): Promise<{ body: T; replayed: boolean }> {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || key === '') throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
  const who = req.auth ? `u${req.auth.user.id}` : 'anon';
  const r = await runIdempotent(
    deps.db,
    {
      scope: `${who}:${req.method}:${req.routeOptions.url}`,
      key,
      fingerprint: { url: req.url, body: req.body ?? null },
    },
    deps.clock.now(),
    async (tx) => ({ status: 200, body: await work(tx) }),
  );
  return { body: r.body as T, replayed: r.replayed };
}
