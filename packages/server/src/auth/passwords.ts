import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * argon2id with OWASP's minimum (19 MiB memory, 2 iterations, 1 lane). Parameters live in
 * the encoded hash, so they can be raised later without breaking old hashes.
 */
export const ARGON2_OPTIONS = {
  // Algorithm is a const enum, which isolated modules cannot read: 2 is Argon2id
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const hashPassword = (password: string) => hash(password, ARGON2_OPTIONS);

// Verified against when the phone is unknown, so a wrong phone and a wrong password take
// the same time and the answer does not reveal who has an account.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(encoded: string | null, password: string): Promise<boolean> {
  if (!encoded) {
    dummyHash ??= hashPassword('not-a-real-password-0');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(encoded, password).catch(() => false);
}

/** At least 8 characters with a letter and a digit; at most 128 (argon2 input bound). */
export function isAcceptablePassword(password: string): boolean {
  return (
    password.length >= 8 &&
    password.length <= 128 &&
    /[A-Za-z]/.test(password) &&
    /\d/.test(password)
  );
}
