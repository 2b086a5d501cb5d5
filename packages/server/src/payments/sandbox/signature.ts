import { createHmac } from 'node:crypto';
import { FIVE_MINUTES_MS, headerValue, isFreshTimestamp, safeEqual } from '../common.ts';

/**
 * Sandbox notifications are signed like WeChat Pay's, with an HMAC instead of RSA, so the
 * demo exercises the same rules a real callback needs: timestamp window, nonce, and a
 * signature over the raw bytes, `timestamp\nnonce\nbody\n`.
 */
export const SANDBOX_HEADER = {
  timestamp: 'x-fanli-sandbox-timestamp',
  nonce: 'x-fanli-sandbox-nonce',
  signature: 'x-fanli-sandbox-signature',
} as const;

export function signSandboxBody(
  secret: string,
  timestamp: string,
  nonce: string,
  rawBody: Buffer | string,
): string {
  // Fed in pieces so the body's exact bytes are signed, with no re-encoding.
  return createHmac('sha256', secret)
    .update(`${timestamp}\n${nonce}\n`)
    .update(rawBody)
    .update('\n')
    .digest('base64');
}

export type SandboxSignatureCheck =
  { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'bad_signature' };

export function checkSandboxSignature(
  secret: string,
  rawBody: Buffer | string,
  headers: Record<string, string | string[] | undefined>,
  nowMs: number,
): SandboxSignatureCheck {
  const timestamp = headerValue(headers, SANDBOX_HEADER.timestamp);
  const nonce = headerValue(headers, SANDBOX_HEADER.nonce);
  const signature = headerValue(headers, SANDBOX_HEADER.signature);
  if (!timestamp || !nonce || !signature) return { ok: false, reason: 'missing' };
  if (!isFreshTimestamp(timestamp, nowMs, FIVE_MINUTES_MS)) return { ok: false, reason: 'stale' };
  const expected = signSandboxBody(secret, timestamp, nonce, rawBody);
  return safeEqual(expected, signature) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/** HMAC tag binding a pay-page link to its parameters, so the page cannot be pointed at another notify URL or amount. */
export function signPayLink(secret: string, fields: readonly string[]): string {
  return createHmac('sha256', secret)
    .update(`paylink\n${fields.join('\n')}`)
    .digest('base64url');
}
