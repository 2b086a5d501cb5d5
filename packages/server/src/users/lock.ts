import type { Tx } from '../db/tx.ts';

/**
 * Locks a user's row until the transaction ends, so per-user limits (addresses, cart
 * lines, one default address) are judged and written by one request at a time. FOR NO
 * KEY UPDATE does not block inserts that merely reference the user (their foreign-key
 * check takes KEY SHARE).
 *
 * @returns false when the user does not exist
 */
export async function lockUser(tx: Tx, userId: number): Promise<boolean> {
  const row = await tx
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  return row !== undefined;
}
