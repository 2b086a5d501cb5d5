import type { Db } from '../db/database.ts';

/** Σ `amountFen` of the withdrawals paid out (status `paid` on the withdrawals page). */
export async function paidWithdrawalsFen(db: Db): Promise<number> {
  const row = await db
    .selectFrom('withdrawals')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('fen'))
    .where('status', '=', 'paid')
    .executeTakeFirstOrThrow();
  return Number(row.fen);
}
