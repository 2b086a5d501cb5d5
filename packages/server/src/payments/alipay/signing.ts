import { createSign, createVerify, type KeyObject } from 'node:crypto';

/**
 * Alipay open-API RSA2 signatures: SHA256withRSA over the parameters sorted by name,
 * joined as `k=v&k=v` with raw (not URL-encoded) values, empty values skipped.
 * Requests exclude `sign`; notifications exclude both `sign` and `sign_type`.
 */

export function signingContent(params: Record<string, string>, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((key) => !exclude.includes(key) && params[key] !== undefined && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

export function signRsa2(privateKey: KeyObject, content: string): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
}

export function verifyRsa2(publicKey: KeyObject, content: string, signature: string): boolean {
  try {
    return createVerify('RSA-SHA256')
      .update(content, 'utf8')
      .verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}
