import { sql } from 'kysely';
import type { Tx } from '../db/tx.ts';

/**
 * Referral anti-abuse (刷单 rings): one person with several accounts "referring" and
 * buying for themselves. At the moment a referral reward is granted, the referrer is
 * compared with each friend whose order earned it; any shared trace holds the reward
 * for review instead of paying it automatically:
 * - a shipping phone in common (an address or an order of one, the account phone of the other);
 * - a shipping address in common (province + city + district + detail, spaces and case ignored);
 * - the same sign-up device: the same IP address and the same browser (user agent).
 * Returns the reason to hold, or null. Signals only hold; a person decides.
 */
export async function referralRingSignal(
  tx: Tx,
  referrerId: number,
  friendIds: number[],
): Promise<string | null> {
  const referrer = await traces(tx, referrerId);
  for (const friendId of friendIds) {
    if (friendId === referrerId) continue;
    const friend = await traces(tx, friendId);
    if (overlap(referrer.phones, friend.phones))
      return `shared shipping phone (referrer ${referrerId}, friend ${friendId})`;
    if (overlap(referrer.addresses, friend.addresses))
      return `shared shipping address (referrer ${referrerId}, friend ${friendId})`;
    if (overlap(referrer.devices, friend.devices))
      return `same sign-up device (referrer ${referrerId}, friend ${friendId})`;
  }
  return null;
}

const overlap = (a: Set<string>, b: Set<string>) => [...a].some((x) => b.has(x));
const normalize = (s: string) => s.replace(/\s+/g, '').toLowerCase();

async function traces(tx: Tx, userId: number) {
  const phones = new Set<string>();
  const addresses = new Set<string>();
  const devices = new Set<string>();
  const user = await tx
    .selectFrom('users')
    .select('phone')
    .where('id', '=', userId)
    .executeTakeFirst();
  if (user?.phone) phones.add(user.phone);
  const shipping = await sql<{ phone: string | null; place: string | null }>`
    select phone, province || '|' || city || '|' || district || '|' || detail as place
      from addresses where user_id = ${userId}
    union
    select address->>'phone',
           coalesce(address->>'province', '') || '|' || coalesce(address->>'city', '') || '|' ||
           coalesce(address->>'district', '') || '|' || coalesce(address->>'detail', '')
      from orders where user_id = ${userId}`.execute(tx);
  for (const r of shipping.rows) {
    if (r.phone) phones.add(r.phone.replace(/\D/g, ''));
    if (r.place && normalize(r.place).replace(/\|/g, '') !== '') addresses.add(normalize(r.place));
  }
  const signUp = await sql<{ ip: string | null; user_agent: string | null }>`
    select c.ip,
           (select s.user_agent from sessions s where s.user_id = c.user_id order by s.id limit 1) as user_agent
      from consents c where c.user_id = ${userId} and c.document = 'privacy'
     order by c.id limit 1`.execute(tx);
  const d = signUp.rows[0];
  if (d?.ip && d.user_agent) devices.add(`${d.ip}|${d.user_agent}`);
  return { phones, addresses, devices };
}
