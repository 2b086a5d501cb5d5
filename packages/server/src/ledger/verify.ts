import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface LedgerReport {
  /** every asset sums to zero, posted and pending, and every account matches its transfers */
  balanced: boolean;
  assets: { asset: string; postedSum: number; pendingSum: number }[];
  /** accounts whose stored totals differ from what their transfers add up to */
  mismatchedAccounts: number[];
  /** user accounts whose available balance is below zero (must never happen) */
  overdrawnAccounts: number[];
  transfers: number;
}

/**
 * Checks the books: for each asset, all balances sum to zero; each account's four totals
 * equal the sum of its transfers; no user is overdrawn.
 */
export async function verifyLedger(db: Db): Promise<LedgerReport> {
  const assets = await sql<{ asset: string; posted_sum: string; pending_sum: string }>`
    select asset,
           sum(credits_posted - debits_posted)::text as posted_sum,
           sum(credits_pending - debits_pending)::text as pending_sum
    from ledger_accounts group by asset order by asset`.execute(db);

  // Recompute each account from the transfer log. A pending transfer counts as pending
  // until a post/void row names it; a post row counts as posted.
  const mismatched = await sql<{ id: number }>`
    with resolved as (
      select pending_id from ledger_transfers where pending_id is not null
    ), movements as (
      select debit_account_id as account_id,
             case when kind in ('posted', 'post_pending') then amount else 0 end as dp,
             0::bigint as cp,
             case when kind = 'pending' and id not in (select pending_id from resolved) then amount else 0 end as dpe,
             0::bigint as cpe
        from ledger_transfers
      union all
      select credit_account_id,
             0::bigint,
             case when kind in ('posted', 'post_pending') then amount else 0 end,
             0::bigint,
             case when kind = 'pending' and id not in (select pending_id from resolved) then amount else 0 end
        from ledger_transfers
    ), totals as (
      select account_id, sum(dp) as dp, sum(cp) as cp, sum(dpe) as dpe, sum(cpe) as cpe
        from movements group by account_id
    )
    select a.id from ledger_accounts a left join totals t on t.account_id = a.id
     where a.debits_posted <> coalesce(t.dp, 0) or a.credits_posted <> coalesce(t.cp, 0)
        or a.debits_pending <> coalesce(t.dpe, 0) or a.credits_pending <> coalesce(t.cpe, 0)
     order by a.id`.execute(db);

  const overdrawn = await db
    .selectFrom('ledger_accounts')
    .select('id')
    .where('no_overdraft', '=', true)
    .where(sql<number>`credits_posted - debits_posted - debits_pending`, '<', 0)
    .execute();

  const count = await db
    .selectFrom('ledger_transfers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();

  const rows = assets.rows.map((r) => ({
    asset: r.asset,
    postedSum: Number(r.posted_sum),
    pendingSum: Number(r.pending_sum),
  }));
  return {
    balanced:
      rows.every((r) => r.postedSum === 0 && r.pendingSum === 0) &&
      mismatched.rows.length === 0 &&
      overdrawn.length === 0,
    assets: rows,
    mismatchedAccounts: mismatched.rows.map((r) => r.id),
    overdrawnAccounts: overdrawn.map((r) => r.id),
    transfers: Number(count.n),
  };
}
