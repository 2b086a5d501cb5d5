import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';

/**
 * The sandbox's HMAC secret when FANLI_SANDBOX_SECRET is not set: made at random the first
 * time and kept in the database, so every process on it signs and verifies alike and a
 * restart does not void the pay links already handed out. Two statements, each on its
 * own: the insert keeps whichever process's value came first, and the read that follows
 * sees it committed.
 */
export async function storedSandboxSecret(db: Db): Promise<string> {
  await db
    .insertInto('instance_secrets')
    .values({ name: 'sandbox', value: randomBytes(32).toString('hex') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('instance_secrets')
    .select('value')
    .where('name', '=', 'sandbox')
    .executeTakeFirstOrThrow();
  return row.value;
}
