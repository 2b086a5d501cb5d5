import { createHash, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';

export const OTP_TTL_MS = 10 * 60_000;
/** wrong guesses one code survives before it is burnt */
export const OTP_MAX_ATTEMPTS = 5;

export type OtpPurpose = 'register' | 'login';

const codeHash = (phone: string, purpose: OtpPurpose, code: string) =>
  createHash('sha256').update(`${phone}|${purpose}|${code}`).digest('hex');

/**
 * Deletes the codes that have expired: they are of no use and name a phone. Runs with each
 * new code and with the hourly maintenance job.
 */
export async function pruneOtpCodes(db: Db | Tx, now: Date): Promise<void> {
  await db.deleteFrom('otp_codes').where('expires_at', '<=', now).execute();
}

/** Creates a fresh 6-digit code; earlier unused codes for the same phone stop working. */
export async function issueOtp(
  db: Db,
  phone: string,
  purpose: OtpPurpose,
  now: Date,
): Promise<string> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await db.transaction().execute(async (tx) => {
    await pruneOtpCodes(tx, now);
    await tx
      .updateTable('otp_codes')
      .set({ consumed_at: now })
      .where('phone', '=', phone)
      .where('purpose', '=', purpose)
      .where('consumed_at', 'is', null)
      .execute();
    await tx
      .insertInto('otp_codes')
      .values({
        phone,
        purpose,
        code_hash: codeHash(phone, purpose, code),
        created_at: now,
        expires_at: new Date(now.getTime() + OTP_TTL_MS),
        consumed_at: null,
      })
      .execute();
  });
  return code;
}

/**
 * Consumes the phone's current code if `code` matches: single use (the UPDATE that marks
 * it consumed is the check, so two concurrent uses cannot both win), 10-minute expiry,
 * and a wrong guess counts against the code.
 */
export async function consumeOtp(
  tx: Tx,
  phone: string,
  purpose: OtpPurpose,
  code: string,
  now: Date,
): Promise<boolean> {
  const used = await tx
    .updateTable('otp_codes')
    .set({ consumed_at: now })
    .where('phone', '=', phone)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', OTP_MAX_ATTEMPTS)
    .where('code_hash', '=', codeHash(phone, purpose, code))
    .returning('id')
    .executeTakeFirst();
  return used !== undefined;
}

/** Counts a wrong guess against the phone's live code (in its own statement: it must stick). */
export async function recordOtpFailure(db: Db, phone: string, purpose: OtpPurpose, now: Date) {
  await db
    .updateTable('otp_codes')
    .set({ attempts: sql`attempts + 1` })
    .where('phone', '=', phone)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}
