import { createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { inTx, type Tx } from '../db/tx.ts';
import { AppError } from '../errors/index.ts';

export interface IdempotentRequest {
  /** who may replay: the caller's user id (or 'anon') plus the route, so keys never collide across users */
  scope: string;
  key: string;
  /** anything that identifies the request's meaning: method, URL, body */
  fingerprint: unknown;
}

export interface StoredResponse {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** Stable JSON: object keys sorted, so `{a,b}` and `{b,a}` hash alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function requestHash(fingerprint: unknown): string {
  return createHash('sha256').update(canonicalJson(fingerprint)).digest('hex');
}

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_\-:.]{8,128}$/;

/**
 * Runs `work` at most once per (scope, key). The key row is inserted first in the same
 * transaction as the work: a concurrent duplicate blocks on the unique index until the
 * first commits, then finds the stored response and replays it. If the work fails, the
 * transaction (key included) rolls back and the request may be retried.
 * Same key with a different request → IDEMPOTENCY_KEY_REUSED (409).
 */
export async function runIdempotent(
  db: Db,
  request: IdempotentRequest,
  now: Date,
  work: (tx: Tx) => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  if (!IDEMPOTENCY_KEY_PATTERN.test(request.key)) {
    throw new AppError('VALIDATION_FAILED', {
      field: 'Idempotency-Key',
      reason: 'must be 8-128 characters of A-Z a-z 0-9 _ - : .',
    });
  }
  const hash = requestHash(request.fingerprint);
  return inTx(db, async (tx) => {
    const claimed = await tx
      .insertInto('idempotency_keys')
      .values({
        scope: request.scope,
        key: request.key,
        request_hash: hash,
        status_code: null,
        response: null,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      const prior = await tx
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('scope', '=', request.scope)
        .where('key', '=', request.key)
        .executeTakeFirstOrThrow();
      if (prior.request_hash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      return { status: prior.status_code ?? 200, body: prior.response, replayed: true };
    }
    const result = await work(tx);
    await tx
      .updateTable('idempotency_keys')
      .set({ status_code: result.status, response: JSON.stringify(result.body ?? null) })
      .where('scope', '=', request.scope)
      .where('key', '=', request.key)
      .execute();
    return { ...result, replayed: false };
  });
}
