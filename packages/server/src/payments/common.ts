import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ProviderErrorCode, ProviderFailure } from './provider.ts';

/** Helpers shared by the adapters; kept free of provider-specific rules. */

export function failure(
  code: ProviderErrorCode,
  message: string,
  extra: { providerCode?: string; httpStatus?: number; retryable?: boolean } = {},
): ProviderFailure {
  const retryable = extra.retryable ?? (code === 'PROVIDER_TIMEOUT' || code === 'PROVIDER_ERROR');
  const result: ProviderFailure = { ok: false, code, retryable, message };
  if (extra.providerCode !== undefined) result.providerCode = extra.providerCode;
  if (extra.httpStatus !== undefined) result.httpStatus = extra.httpStatus;
  return result;
}

/**
 * Our out-numbers (trade, refund, bill) are restricted to the intersection of what WeChat
 * Pay (6–32, [0-9A-Za-z_-|*]) and Alipay (≤64, letters/digits/_) accept, so one number
 * works with every provider and is safe in a URL path.
 */
const OUT_NO_PATTERN = /^[0-9A-Za-z_-]{6,32}$/;

export function isValidOutNo(value: string): boolean {
  return OUT_NO_PATTERN.test(value);
}

/** 32 hex chars: WeChat Pay requires ≤32 chars and treats the nonce as an opaque string. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

/** Case-insensitive single header value; a repeated header is ambiguous and counts as missing. */
export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === 'string') return value;
    return undefined;
  }
  return undefined;
}

export function rawBodyText(rawBody: Buffer | string): string {
  return typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
}

/** Constant-time comparison of two strings (HMAC signatures). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Timestamps in notification headers are unix seconds; allow ±windowMs of clock skew. */
export function isFreshTimestamp(
  timestampSeconds: string,
  nowMs: number,
  windowMs: number,
): boolean {
  if (!/^[0-9]{1,12}$/.test(timestampSeconds)) return false;
  return Math.abs(nowMs - Number(timestampSeconds) * 1000) <= windowMs;
}

export const FIVE_MINUTES_MS = 5 * 60 * 1000;

/** Wall-clock parts in China Standard Time (UTC+8, no DST), which both gateways expect. */
function beijingParts(date: Date): { ymd: string; hms: string } {
  const shifted = new Date(date.getTime() + 8 * 60 * 60 * 1000).toISOString();
  return { ymd: shifted.slice(0, 10), hms: shifted.slice(11, 19) };
}

/** `2026-01-01T10:00:00+08:00` (WeChat Pay `time_expire`). */
export function formatRfc3339Beijing(date: Date): string {
  const { ymd, hms } = beijingParts(date);
  return `${ymd}T${hms}+08:00`;
}

/** `2026-01-01 10:00:00` (Alipay `timestamp`, `time_expire`). */
export function formatAlipayTime(date: Date): string {
  const { ymd, hms } = beijingParts(date);
  return `${ymd} ${hms}`;
}

/** Parses a provider date string; null when absent or unreadable. */
export function parseDate(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Narrow readers for provider JSON: anything of the wrong type reads as undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function readString(
  record: Record<string, unknown> | undefined,
  key: string,
): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function readFen(
  record: Record<string, unknown> | undefined,
  key: string,
): number | undefined {
  const value = record?.[key];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
