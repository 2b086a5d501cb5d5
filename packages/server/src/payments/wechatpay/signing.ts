import { createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';
import { FIVE_MINUTES_MS, headerValue, isFreshTimestamp } from '../common.ts';

/**
 * WeChat Pay API v3 signatures (SHA256-RSA2048, PKCS#1 v1.5, base64).
 *
 * Requests:  `METHOD\nCANONICAL_URL\nTIMESTAMP\nNONCE\nBODY\n` signed with the merchant key,
 *            sent as `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",…`.
 * Responses and notifications: `TIMESTAMP\nNONCE\nBODY\n` signed by WeChat Pay with the
 *            platform certificate key or the WeChat Pay public key named in Wechatpay-Serial.
 */

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

export const WECHATPAY_HEADER = {
  timestamp: 'wechatpay-timestamp',
  nonce: 'wechatpay-nonce',
  signature: 'wechatpay-signature',
  serial: 'wechatpay-serial',
} as const;

/** WeChat Pay sends these to check that merchants really verify; they must never pass. */
export const SIGNATURE_PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

export function signSha256Rsa(privateKey: KeyObject, message: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

export function buildAuthorization(args: {
  mchid: string;
  serialNo: string;
  privateKey: KeyObject;
  method: string;
  /** Path plus query string, exactly as sent, e.g. `/v3/pay/transactions/out-trade-no/X?mchid=1`. */
  canonicalUrl: string;
  body: string;
  timestampSec: string;
  nonce: string;
}): string {
  const message = `${args.method}\n${args.canonicalUrl}\n${args.timestampSec}\n${args.nonce}\n${args.body}\n`;
  const signature = signSha256Rsa(args.privateKey, message);
  return (
    `${AUTH_SCHEMA} mchid="${args.mchid}",nonce_str="${args.nonce}",signature="${signature}",` +
    `timestamp="${args.timestampSec}",serial_no="${args.serialNo}"`
  );
}

/** `paySign` for the JSAPI client call: `appId\ntimeStamp\nnonceStr\npackage\n`. */
export function signJsapiParams(
  privateKey: KeyObject,
  appId: string,
  timeStamp: string,
  nonceStr: string,
  pkg: string,
): string {
  return signSha256Rsa(privateKey, `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`);
}

/** Platform keys by serial: certificate serial numbers (hex) or `PUB_KEY_ID_…` ids. */
export class PlatformKeys {
  private readonly keys = new Map<string, KeyObject>();

  constructor(entries: Record<string, KeyObject | string>) {
    for (const [serial, key] of Object.entries(entries)) {
      this.keys.set(serial.toUpperCase(), typeof key === 'string' ? createPublicKey(key) : key);
    }
    if (this.keys.size === 0)
      throw new Error('wechatpay: at least one platform public key is required');
  }

  get(serial: string): KeyObject | undefined {
    return this.keys.get(serial.toUpperCase());
  }

  /** The WeChat Pay public key id, if configured: sent as Wechatpay-Serial on our requests. */
  publicKeyId(): string | undefined {
    for (const serial of this.keys.keys()) if (serial.startsWith('PUB_KEY_ID_')) return serial;
    return undefined;
  }

  /** The key to encrypt sensitive fields with, and its serial. */
  encryptionKey(): { serial: string; key: KeyObject } {
    const preferred = this.publicKeyId();
    const [first] = this.keys.entries();
    if (preferred) return { serial: preferred, key: this.keys.get(preferred) as KeyObject };
    if (!first) throw new Error('wechatpay: no platform key');
    return { serial: first[0], key: first[1] };
  }
}

export type WechatpaySignatureCheck =
  | { ok: true; serial: string }
  | { ok: false; reason: 'missing' | 'probe' | 'stale' | 'unknown_serial' | 'bad_signature' };

/**
 * Verifies Wechatpay-* headers over the exact body bytes. Order matters: probes and stale
 * timestamps are refused before any key lookup, unknown serials before any RSA work.
 */
export function checkWechatpaySignature(
  keys: PlatformKeys,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer | string,
  nowMs: number,
): WechatpaySignatureCheck {
  const timestamp = headerValue(headers, WECHATPAY_HEADER.timestamp);
  const nonce = headerValue(headers, WECHATPAY_HEADER.nonce);
  const signature = headerValue(headers, WECHATPAY_HEADER.signature);
  const serial = headerValue(headers, WECHATPAY_HEADER.serial);
  if (!timestamp || !nonce || !signature || !serial) return { ok: false, reason: 'missing' };
  if (signature.startsWith(SIGNATURE_PROBE_PREFIX)) return { ok: false, reason: 'probe' };
  if (!isFreshTimestamp(timestamp, nowMs, FIVE_MINUTES_MS)) return { ok: false, reason: 'stale' };
  const key = keys.get(serial);
  if (!key) return { ok: false, reason: 'unknown_serial' };
  let valid = false;
  try {
    valid = createVerify('RSA-SHA256')
      .update(`${timestamp}\n${nonce}\n`)
      .update(body)
      .update('\n')
      .verify(key, signature, 'base64');
  } catch {
    valid = false;
  }
  return valid ? { ok: true, serial } : { ok: false, reason: 'bad_signature' };
}
