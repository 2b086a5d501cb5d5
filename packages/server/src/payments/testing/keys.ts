import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** Locally generated RSA-2048 key pairs for the fake gateways; never real credentials. */
export function rsaKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}
