import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tx } from '../db/tx.ts';
import { AppError } from '../errors/index.ts';
import { runIdempotent } from '../idempotency/idempotency.ts';
import type { AppDeps } from './deps.ts';

/**
 * Runs a money-moving POST exactly once per Idempotency-Key: a retry with the same key
 * and body gets the first answer again (header `Idempotent-Replayed: true`).
 */
export async function idempotentReply(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Tx) => Promise<{ status?: number; body: unknown }>,
): Promise<unknown> {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || key === '') throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
  const who = req.auth ? `u${req.auth.user.id}` : 'anon';
  const result = await runIdempotent(
    deps.db,
    {
      scope: `${who}:${req.method}:${req.routeOptions.url}`,
      key,
      fingerprint: { url: req.url, body: req.body ?? null },
    },
    deps.clock.now(),
    async (tx) => {
      const out = await work(tx);
      return { status: out.status ?? 200, body: out.body };
    },
  );
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(result.status).send(result.body);
}
