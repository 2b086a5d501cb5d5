import type { Tx } from '../db/tx.ts';
import type { Db } from '../db/database.ts';

/** What an account holds. Cash and voucher value are fen; points and entitlement are integers too. */
export type Asset = 'cash' | 'points' | 'voucher' | 'entitlement';

/**
 * Who owns an account. Only users' accounts refuse to overdraw; the merchant, the payment
 * gateway and pools are system accounts whose balance is whatever the books say.
 */
export type OwnerType = 'user' | 'merchant' | 'gateway' | 'pool' | 'platform' | 'store' | 'fee';

export interface AccountRef {
  ownerType: OwnerType;
  ownerId: string | number;
  asset: Asset;
}

export const MERCHANT = 'main';

export const userAccount = (userId: number, asset: Asset): AccountRef => ({
  ownerType: 'user',
  ownerId: userId,
  asset,
});
export const merchantAccount = (asset: Asset): AccountRef => ({
  ownerType: 'merchant',
  ownerId: MERCHANT,
  asset,
});
export const gatewayAccount = (provider: string, asset: Asset = 'cash'): AccountRef => ({
  ownerType: 'gateway',
  ownerId: provider,
  asset,
});

/** Returns the account's id, creating it on first use (concurrent callers get one row). */
export async function accountId(tx: Tx | Db, ref: AccountRef): Promise<number> {
  const ownerId = String(ref.ownerId);
  const inserted = await tx
    .insertInto('ledger_accounts')
    .values({
      owner_type: ref.ownerType,
      owner_id: ownerId,
      asset: ref.asset,
      no_overdraft: ref.ownerType === 'user',
    })
    .onConflict((oc) => oc.columns(['owner_type', 'owner_id', 'asset']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const row = await tx
    .selectFrom('ledger_accounts')
    .select('id')
    .where('owner_type', '=', ref.ownerType)
    .where('owner_id', '=', ownerId)
    .where('asset', '=', ref.asset)
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface Balance {
  /** posted credits − posted debits − reserved debits: what may be spent or withdrawn */
  available: number;
  /** incoming money not yet available (pending rewards, 冻结) */
  pendingIn: number;
  /** money reserved for an outgoing transfer (e.g. a withdrawal under review) */
  pendingOut: number;
}

export async function balanceOf(tx: Tx | Db, ref: AccountRef): Promise<Balance> {
  const row = await tx
    .selectFrom('ledger_accounts')
    .select(['debits_posted', 'credits_posted', 'debits_pending', 'credits_pending'])
    .where('owner_type', '=', ref.ownerType)
    .where('owner_id', '=', String(ref.ownerId))
    .where('asset', '=', ref.asset)
    .executeTakeFirst();
  if (!row) return { available: 0, pendingIn: 0, pendingOut: 0 };
  return {
    available: row.credits_posted - row.debits_posted - row.debits_pending,
    pendingIn: row.credits_pending,
    pendingOut: row.debits_pending,
  };
}
