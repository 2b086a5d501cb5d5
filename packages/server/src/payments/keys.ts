import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Key loading that accepts what the providers' own tools hand out: PEM files, and for
 * Alipay also bare base64 key strings (its key tool prints PKCS#8 or PKCS#1 without
 * headers). Throws with a message naming the source: a bad key is a configuration bug
 * to fix at start-up, not a runtime condition.
 */

export function loadPrivateKey(text: string, source: string): KeyObject {
  const trimmed = text.trim();
  try {
    if (trimmed.includes('-----BEGIN')) return createPrivateKey(trimmed);
    const der = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64');
    try {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
    }
  } catch (error) {
    throw new Error(`${source}: not a readable RSA private key (${(error as Error).message})`);
  }
}

/** A public key, or the public key inside an X.509 certificate. */
export function loadPublicKey(text: string, source: string): KeyObject {
  const trimmed = text.trim();
  try {
    if (trimmed.includes('-----BEGIN CERTIFICATE')) return new X509Certificate(trimmed).publicKey;
    if (trimmed.includes('-----BEGIN')) return createPublicKey(trimmed);
    return createPublicKey({
      key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'),
      format: 'der',
      type: 'spki',
    });
  } catch (error) {
    throw new Error(
      `${source}: not a readable RSA public key or certificate (${(error as Error).message})`,
    );
  }
}

/** Serial number of a certificate as WeChat Pay writes it in Wechatpay-Serial (upper-case hex). */
export function certificateSerial(pem: string, source: string): string {
  try {
    return new X509Certificate(pem.trim()).serialNumber.toUpperCase();
  } catch (error) {
    throw new Error(`${source}: not a readable X.509 certificate (${(error as Error).message})`);
  }
}
