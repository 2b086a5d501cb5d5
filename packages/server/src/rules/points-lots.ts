import { sql } from 'kysely';
import {
  consumeOldestFirst,
  localDayKey,
  lotExpiry,
  nextBoundary,
  type PointsSettings,
} from '@fanli/engine';
import type { Db } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';
import type { LedgerTransfer } from '../db/schema.ts';
import { enqueue } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/runner.ts';
import {
  accountId,
  accountInfoById,
  balanceOf,
  merchantAccount,
  transfer,
  userAccount,
  type LedgerObserver,
} from '../ledger/index.ts';
import type { PersonalData } from '../privacy/personal-data.ts';
import { SHOP_TIMEZONE } from '../config/timezone.ts';
import { rulesInForce } from './versions.ts';

/**
 * Points expiry on the server (docs/models/cashback-points.md), as the engine's simulator does it: every grant of
 * points that becomes available is a lot; spending consumes the oldest-granted lots first;
 * at its expiry a lot forfeits what is left of it, but never points a pending debit has
 * reserved (min(remaining, available)); points given back by a refund form a new lot.
 *
 * The lots follow the ledger through `LEDGER_OBSERVERS` (one place sees every posted
 * points transfer, whoever makes it); the job `points.expire` forfeits due lots.
 */

export const JOB_POINTS_EXPIRY = 'points.expire';
/** The ledger reason of a forfeiture (`ledger/reasons.ts`; the engine's plan says `points.expiry`). */
export const POINTS_EXPIRED = 'points.expired';
const DAY_MS = 86_400_000;

/**
 * When a lot that became available at `at` expires under `points`: after `expiryDays`
 * days, or at 00:00 local on the next 1 January with `expireAtYearEnd`; the earlier wins.
 *
 * @example lotExpiresAt({ fenPerPoint: 100, expiryDays: 30, expireAtYearEnd: false }, new Date('2026-03-01T00:00:00Z'))
 * // 2026-03-31T00:00:00.000Z
 */
export function lotExpiresAt(points: PointsSettings, at: Date): Date | null {
  const ms = at.getTime();
  const yearEnd = points.expireAtYearEnd ? nextBoundary(ms, 'yearly', SHOP_TIMEZONE) : null;
  const expires = lotExpiry(ms, points.expiryDays, yearEnd);
  return expires === null ? null : new Date(expires);
}

/** Longer than an unpaid order's payment window, so its reservation is resolved by then. */
const SPARED_RECHECK_MS = 2 * 60 * 60 * 1000;

/** One sweep per expiry instant: lots sharing it (e.g. year end) are expired by one job chain. */
async function scheduleExpiry(tx: Tx, dueBy: Date, now: Date, after?: number): Promise<void> {
  const iso = dueBy.toISOString();
  await enqueue(
    tx,
    {
      kind: JOB_POINTS_EXPIRY,
      runAt: dueBy,
      payload: { dueBy: iso },
      uniqueKey: `${JOB_POINTS_EXPIRY}:${iso}${after === undefined ? '' : `:after:${after}`}`,
    },
    now,
  );
}

/** The users on either side of a transfer (null for system accounts); ids are cached. */
async function userOwners(
  tx: Tx,
  t: LedgerTransfer,
): Promise<{ debit: number | null; credit: number | null }> {
  const userOf = async (id: number) => {
    const a = await accountInfoById(tx, id);
    return a.ownerType === 'user' ? Number(a.ownerId) : null;
  };
  return { debit: await userOf(t.debit_account_id), credit: await userOf(t.credit_account_id) };
}

/** Points became available to a user: a new lot, expiring by the rules in force now. */
async function addLot(tx: Tx, userId: number, t: LedgerTransfer): Promise<void> {
  const at = new Date(t.created_at);
  const { settings } = await rulesInForce(tx, at);
  const expiresAt = lotExpiresAt(settings.points, at);
  await tx
    .insertInto('points_lots')
    .values({
      user_id: userId,
      granted_transfer_id: t.id,
      amount: t.amount,
      remaining: t.amount,
      granted_at: at,
      expires_at: expiresAt,
    })
    .execute();
  if (expiresAt) await scheduleExpiry(tx, expiresAt, at);
}

/**
 * Points left a user's account (spent, deducted): the oldest-granted lots give them up.
 * The caller (the ledger) holds the user's account row, so lots change one spender at a
 * time; the lot rows are locked in grant order all the same.
 */
async function consumeLots(tx: Tx, userId: number, points: number): Promise<void> {
  const lots = await tx
    .selectFrom('points_lots')
    .select(['id', 'remaining'])
    .where('user_id', '=', userId)
    .where('remaining', '>', 0)
    .orderBy('granted_at')
    .orderBy('id')
    .forUpdate()
    .execute();
  const taken = consumeOldestFirst(
    lots.map((l) => ({ id: String(l.id), remaining: Number(l.remaining), expiresAtMs: null })),
    points,
  );
  if (taken.length === 0) return;
  const cases = taken.map((x) => sql`when ${Number(x.lotId)}::bigint then ${x.points}::bigint`);
  await tx
    .updateTable('points_lots')
    .set({ remaining: sql`remaining - (case id ${sql.join(cases, sql` `)} else 0 end)` })
    .where(
      'id',
      'in',
      taken.map((x) => Number(x.lotId)),
    )
    .execute();
}

/**
 * Ledger observer: keeps the lots in step with every posted points transfer. A credit to
 * a user's points account is a new lot; a debit consumes lots oldest first. Forfeitures
 * are booked on their lot by the expiry job itself.
 */
export const pointsLotsObserver: LedgerObserver = async (tx, t) => {
  if (t.asset !== 'points') return;
  if (t.reason === POINTS_EXPIRED) return;
  const owners = await userOwners(tx, t);
  if (owners.debit !== null) await consumeLots(tx, owners.debit, t.amount);
  if (owners.credit !== null) await addLot(tx, owners.credit, t);
};

/**
 * Locks the user's points account before the user's lots: the order a spend takes them
 * in (the ledger locks a user's account, then the observer the lots), so expiry and
 * spending queue instead of deadlocking. The merchant's account is not locked here: the
 * ledger writes system accounts last, just before COMMIT (ledger/deferred.ts).
 */
async function lockUserPoints(tx: Tx, userId: number): Promise<void> {
  const id = await accountId(tx, userAccount(userId, 'points'));
  await tx.selectFrom('ledger_accounts').select('id').where('id', '=', id).forUpdate().execute();
}

/**
 * Forfeits what is left of each of a user's lots due by `dueBy`, oldest first: at most
 * what the user can spend (points reserved by a pending debit are not taken). One ledger
 * transfer per lot, keyed by the lot: run twice, it moves points once.
 */
export async function expireUserLots(
  tx: Tx,
  userId: number,
  dueBy: Date,
  now: Date,
): Promise<{ lots: number; points: number }> {
  await lockUserPoints(tx, userId);
  const due = await tx
    .selectFrom('points_lots')
    .select(['id', 'remaining', 'granted_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('remaining', '>', 0)
    .where('expires_at', '<=', dueBy)
    .orderBy('granted_at')
    .orderBy('id')
    .forUpdate()
    .execute();
  let points = 0;
  for (const lot of due) {
    const { available } = await balanceOf(tx, userAccount(userId, 'points'));
    const amount = Math.min(Number(lot.remaining), available);
    let transferId: number | null = null;
    let forfeited = 0;
    if (amount > 0) {
      const r = await transfer(tx, {
        debit: userAccount(userId, 'points'),
        credit: merchantAccount('points'),
        amount,
        reason: POINTS_EXPIRED,
        source: { type: 'points_lot', id: lot.id },
        // remaining only falls, so each step of one lot has its own key
        idempotencyKey: `${POINTS_EXPIRED}:lot:${lot.id}:${Number(lot.remaining)}`,
        memo: {
          lotId: lot.id,
          grantedAt: new Date(lot.granted_at).toISOString(),
          expiresAt: new Date(lot.expires_at!).toISOString(),
        },
        at: now,
      });
      // the account is locked and `amount` ≤ available: a refusal is a bug
      if (!r.ok) throw new Error(`points lot ${lot.id}: ${r.code}`);
      transferId = r.transfer.id;
      forfeited = r.transfer.amount;
    }
    // Points an unpaid order has reserved are spared, and stay on this lot: if the order is
    // paid they are the first spent (oldest lot); if it is cancelled they come back, and a
    // second look after the order's payment deadline forfeits them.
    const spared = Number(lot.remaining) - forfeited;
    const recheckAt = new Date(now.getTime() + SPARED_RECHECK_MS);
    await tx
      .updateTable('points_lots')
      .set({
        remaining: spared,
        ...(spared > 0 ? { expires_at: recheckAt } : {}),
        expired_at: now,
        expired_points: sql`coalesce(expired_points, 0) + ${forfeited}`,
        expiry_transfer_id: transferId,
      })
      .where('id', '=', lot.id)
      .execute();
    if (spared > 0) await scheduleExpiry(tx, recheckAt, now);
    points += forfeited;
  }
  return { lots: due.length, points };
}

async function nextDueUser(tx: Tx, dueBy: Date): Promise<number | null> {
  const row = await tx
    .selectFrom('points_lots')
    .select('user_id')
    .where('remaining', '>', 0)
    .where('expires_at', 'is not', null)
    .where('expires_at', '<=', dueBy)
    .orderBy('expires_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.user_id) : null;
}

/**
 * `points.expire`: runs at an expiry instant and forfeits the lots due by it, one user per
 * run (each run is one transaction that locks one user's account and lots, so it never
 * waits on a spender that waits on it); while due lots remain it chains another run for
 * the same instant. Lots due later have their own run, so expiry keeps time order with
 * other jobs even when jobs run late.
 */
export function pointsExpiryJobs(): Record<string, JobHandler> {
  return {
    [JOB_POINTS_EXPIRY]: async (tx, job, now) => {
      const payload = (job.payload ?? {}) as { dueBy?: unknown };
      const asked =
        typeof payload.dueBy === 'string' ? new Date(payload.dueBy) : new Date(job.run_at);
      const dueBy = asked.getTime() > now.getTime() ? now : asked;
      const userId = await nextDueUser(tx, dueBy);
      if (userId === null) return;
      await expireUserLots(tx, userId, dueBy, now);
      if ((await nextDueUser(tx, dueBy)) !== null) await scheduleExpiry(tx, dueBy, now, userId);
    },
  };
}

export interface UpcomingExpiry {
  /** local date (shop time zone) on which the points expire */
  date: string;
  /** the earliest instant on that date */
  expiresAt: string;
  points: number;
}

/**
 * What will expire if the user spends nothing: the open lots after the points reserved by
 * pending debits (they will take the oldest lots), grouped by local date, soonest first.
 */
export async function upcomingExpiries(
  db: Db | Tx,
  userId: number,
  now: Date,
  opts: { max?: number; withinDays?: number; reservedPoints?: number } = {},
): Promise<{ upcoming: UpcomingExpiry[]; expiringSoon: number; soonDays: number }> {
  const soonDays = opts.withinDays ?? 30;
  const lots = await db
    .selectFrom('points_lots')
    .select(['id', 'remaining', 'expires_at'])
    .where('user_id', '=', userId)
    .where('remaining', '>', 0)
    .orderBy('granted_at')
    .orderBy('id')
    .execute();
  const pendingOut =
    opts.reservedPoints ?? (await balanceOf(db, userAccount(userId, 'points'))).pendingOut;
  const left = lots.map((l) => ({
    id: String(l.id),
    remaining: Number(l.remaining),
    expiresAtMs: l.expires_at === null ? null : new Date(l.expires_at).getTime(),
  }));
  consumeOldestFirst(left, pendingOut);
  const byDate = new Map<string, UpcomingExpiry>();
  let expiringSoon = 0;
  const soonMs = now.getTime() + soonDays * DAY_MS;
  for (const lot of left
    .filter((l) => l.remaining > 0 && l.expiresAtMs !== null)
    .sort((a, b) => a.expiresAtMs! - b.expiresAtMs!)) {
    const ms = lot.expiresAtMs!;
    if (ms <= soonMs) expiringSoon += lot.remaining;
    const date = localDayKey(ms, SHOP_TIMEZONE);
    const seen = byDate.get(date);
    if (seen) seen.points += lot.remaining;
    else byDate.set(date, { date, expiresAt: new Date(ms).toISOString(), points: lot.remaining });
  }
  return { upcoming: [...byDate.values()].slice(0, opts.max ?? 5), expiringSoon, soonDays };
}

/** A person's points lots (export); kept at deletion like the ledger they mirror. */
export const pointsLotsData: PersonalData = {
  section: 'pointsLots',
  async export(tx, userId) {
    return tx
      .selectFrom('points_lots')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
  },
};
