import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * AEAD_AES_256_GCM as WeChat Pay uses it for notification resources: key = the 32-byte
 * APIv3 key (ASCII), iv = the 12-char `nonce`, AAD = `associated_data`, and the base64
 * `ciphertext` ends with the 16-byte auth tag.
 */

const TAG_BYTES = 16;

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
  original_type?: string;
}

export function decryptResource(apiV3Key: string, resource: EncryptedResource): string | null {
  if (resource.algorithm !== 'AEAD_AES_256_GCM') return null;
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) return null;
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(resource.nonce, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    return Buffer.concat([
      decipher.update(data.subarray(0, data.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    // Wrong key, tampered ciphertext / AAD / nonce: GCM's tag check fails.
    return null;
  }
}

/** The inverse, used by the fake WeChat Pay server in tests. */
export function encryptResource(
  apiV3Key: string,
  plaintext: string,
  nonce: string,
  associatedData: string,
): string {
  const cipher = createCipheriv(
    'aes-256-gcm',
    Buffer.from(apiV3Key, 'utf8'),
    Buffer.from(nonce, 'utf8'),
  );
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const encrypted = Buffer.concat([
    cipher.update(plaintext, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return encrypted.toString('base64');
}
