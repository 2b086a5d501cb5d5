import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { balanceFrom, type Asset, type Balance } from './accounts.ts';

/**
 * All shoppers' balances of one asset added up: the sum of every user account's
 * `balanceOf`, read in one query (outside a transaction, so every total is written).
 */
export async function usersBalanceTotal(db: Db, asset: Asset): Promise<Balance> {
  const row = await sql<Record<'dp' | 'cp' | 'dpe' | 'cpe', string>>`
    select coalesce(sum(debits_posted), 0)::text as dp,
           coalesce(sum(credits_posted), 0)::text as cp,
           coalesce(sum(debits_pending), 0)::text as dpe,
           coalesce(sum(credits_pending), 0)::text as cpe
      from ledger_accounts where owner_type = 'user' and asset = ${asset}`.execute(db);
  const t = row.rows[0]!;
  return balanceFrom({
    debits_posted: Number(t.dp),
    credits_posted: Number(t.cp),
    debits_pending: Number(t.dpe),
    credits_pending: Number(t.cpe),
  });
}
