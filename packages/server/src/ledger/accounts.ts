import { sql } from 'kysely';
import { isManagedTx, type Tx, type TxHook } from '../db/tx.ts';
import { deferredOf } from './deferred.ts';
import { perDatabase } from '../db/per-database.ts';
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

export interface AccountInfo {
  id: number;
  ownerType: OwnerType;
  ownerId: string;
  /** users' accounts refuse to overdraw; system accounts do not */
  noOverdraft: boolean;
}

/**
 * Account ids never change and rows are never deleted, so each process remembers them
 * (per database: tests run many in one process). Only ids known to be committed are
 * remembered — an id created by a transaction that later rolls back must not be — so a
 * transaction run by `inTx` notes the ids it created and they join the cache after COMMIT.
 */
const CACHE_LIMIT = 200_000;
const cacheOf = perDatabase(() => ({
  byKey: new Map<string, AccountInfo>(),
  byId: new Map<number, AccountInfo>(),
}));
/** ids a transaction created or read that are not cached yet: valid inside it, and
 * cached after its COMMIT */
const seenIn = new WeakMap<Tx, Map<string, AccountInfo>>();

const keyOf = (ownerType: string, ownerId: string, asset: string) =>
  `${ownerType}\u0000${ownerId}\u0000${asset}`;

function remember(tx: Tx | Db, info: AccountInfo, key: string): void {
  const c = cacheOf(tx);
  if (c.byKey.size >= CACHE_LIMIT) {
    c.byKey.clear();
    c.byId.clear();
  }
  c.byKey.set(key, info);
  c.byId.set(info.id, info);
}

/** Caches what a statement saw: at once outside a transaction, after COMMIT inside one. */
function learn(tx: Tx | Db, info: AccountInfo, key: string): void {
  if (!tx.isTransaction) return remember(tx, info, key);
  if (!isManagedTx(tx as Tx)) return;
  const seen = seenIn.get(tx as Tx) ?? new Map<string, AccountInfo>();
  seen.set(key, info);
  seenIn.set(tx as Tx, seen);
}

function lookup(tx: Tx | Db, key: string): AccountInfo | undefined {
  return cacheOf(tx).byKey.get(key) ?? seenIn.get(tx as Tx)?.get(key);
}

/** Caches the account ids a transaction saw once it committed (the ledger module's). */
export const accountIdsAfterCommit: TxHook = {
  afterCommit(tx) {
    for (const [key, info] of seenIn.get(tx) ?? []) remember(tx, info, key);
  },
};

/**
 * Creates or reads accounts in one statement, in key order (two transactions creating the
 * same accounts queue instead of deadlocking). A row committed by another transaction
 * while the statement ran is not in its snapshot: what it missed is asked for once more.
 */
async function createOrRead(
  tx: Tx | Db,
  wanted: Map<string, AccountRef>,
): Promise<Map<string, AccountInfo>> {
  const got = new Map<string, AccountInfo>();
  for (let pass = 0; pass < 2 && got.size < wanted.size; pass++) {
    const rows = [...wanted.entries()]
      .filter(([key]) => !got.has(key))
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(
        ([, r]) =>
          sql`(${r.ownerType}::text, ${String(r.ownerId)}::text, ${r.asset}::text, ${r.ownerType === 'user'}::boolean)`,
      );
    const found = await sql<{
      id: string | number;
      owner_type: OwnerType;
      owner_id: string;
      asset: string;
    }>`
      with v (owner_type, owner_id, asset, no_overdraft) as (values ${sql.join(rows)}),
      ins as (
        insert into ledger_accounts (owner_type, owner_id, asset, no_overdraft)
        select owner_type, owner_id, asset, no_overdraft from v
        on conflict (owner_type, owner_id, asset) do nothing
        returning id, owner_type, owner_id, asset)
      select id, owner_type, owner_id, asset from ins
      union all
      select a.id, a.owner_type, a.owner_id, a.asset from ledger_accounts a
        join v on a.owner_type = v.owner_type and a.owner_id = v.owner_id and a.asset = v.asset`.execute(
      tx,
    );
    for (const row of found.rows) {
      const key = keyOf(row.owner_type, row.owner_id, row.asset);
      const info: AccountInfo = {
        id: Number(row.id),
        ownerType: row.owner_type,
        ownerId: row.owner_id,
        noOverdraft: row.owner_type === 'user',
      };
      learn(tx, info, key);
      got.set(key, info);
    }
  }
  const lost = [...wanted.keys()].find((key) => !got.has(key));
  if (lost !== undefined) throw new Error(`ledger account ${lost} could not be created`);
  return got;
}

/**
 * Several accounts at once, in the order asked, created on first use (concurrent callers
 * get one row): known ones from memory, the others in one round trip (two at most).
 */
export async function accountInfos(tx: Tx | Db, refs: AccountRef[]): Promise<AccountInfo[]> {
  const keyed = refs.map((r) => ({ ref: r, key: keyOf(r.ownerType, String(r.ownerId), r.asset) }));
  const missing = new Map<string, AccountRef>();
  for (const { ref, key } of keyed) if (!lookup(tx, key)) missing.set(key, ref);
  const got = missing.size ? await createOrRead(tx, missing) : undefined;
  return keyed.map(({ key }) => lookup(tx, key) ?? got!.get(key)!);
}

/** The account, created on first use (concurrent callers get one row). */
export async function accountInfo(tx: Tx | Db, ref: AccountRef): Promise<AccountInfo> {
  return (await accountInfos(tx, [ref]))[0]!;
}

/** Returns the account's id, creating it on first use (concurrent callers get one row). */
export async function accountId(tx: Tx | Db, ref: AccountRef): Promise<number> {
  return (await accountInfo(tx, ref)).id;
}

/** What is known about an account id, from the cache or one query. */
export async function accountInfoById(tx: Tx | Db, id: number): Promise<AccountInfo> {
  const cached = cacheOf(tx).byId.get(id);
  if (cached) return cached;
  const row = await tx
    .selectFrom('ledger_accounts')
    .select(['owner_type', 'owner_id', 'asset', 'no_overdraft'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const info: AccountInfo = {
    id,
    ownerType: row.owner_type as OwnerType,
    ownerId: row.owner_id,
    noOverdraft: row.no_overdraft,
  };
  learn(tx, info, keyOf(row.owner_type, row.owner_id, row.asset));
  return info;
}

export interface Balance {
  /** posted credits − posted debits − reserved debits: what may be spent or withdrawn */
  available: number;
  /** incoming money not yet available (pending rewards, 冻结) */
  pendingIn: number;
  /** money reserved for an outgoing transfer (e.g. a withdrawal under review) */
  pendingOut: number;
}

export type Totals = Record<
  'debits_posted' | 'credits_posted' | 'debits_pending' | 'credits_pending',
  number
>;
const NO_BALANCE: Balance = { available: 0, pendingIn: 0, pendingOut: 0 };

/** An account's balance from its four totals (plus changes not yet written, if any). */
export function balanceFrom(row: Totals, unwritten: Partial<Totals> = {}): Balance {
  const dp = row.debits_posted + (unwritten.debits_posted ?? 0);
  const cp = row.credits_posted + (unwritten.credits_posted ?? 0);
  const dpe = row.debits_pending + (unwritten.debits_pending ?? 0);
  const cpe = row.credits_pending + (unwritten.credits_pending ?? 0);
  return { available: cp - dp - dpe, pendingIn: cpe, pendingOut: dpe };
}

/** One owner's balances of several assets, in one query (outside a transaction). */
export async function balancesOf<A extends Asset>(
  db: Db,
  ownerType: OwnerType,
  ownerId: string | number,
  assets: readonly A[],
): Promise<Record<A, Balance>> {
  const rows = await db
    .selectFrom('ledger_accounts')
    .select(['asset', 'debits_posted', 'credits_posted', 'debits_pending', 'credits_pending'])
    .where('owner_type', '=', ownerType)
    .where('owner_id', '=', String(ownerId))
    .where('asset', 'in', assets)
    .execute();
  const out = {} as Record<A, Balance>;
  for (const a of assets) {
    const row = rows.find((r) => r.asset === a);
    out[a] = row ? balanceFrom(row) : NO_BALANCE;
  }
  return out;
}

export async function balanceOf(tx: Tx | Db, ref: AccountRef): Promise<Balance> {
  const row = await tx
    .selectFrom('ledger_accounts')
    .select(['id', 'debits_posted', 'credits_posted', 'debits_pending', 'credits_pending'])
    .where('owner_type', '=', ref.ownerType)
    .where('owner_id', '=', String(ref.ownerId))
    .where('asset', '=', ref.asset)
    .executeTakeFirst();
  if (!row) return NO_BALANCE;
  // a system account's changes made by this transaction are written at COMMIT: add them
  return balanceFrom(row, deferredOf(tx, row.id));
}
