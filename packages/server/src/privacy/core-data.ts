import type { PersonalData } from './personal-data.ts';
import { revokeAllSessions } from '../auth/sessions.ts';

/** The account itself: profile, consents, sessions, referral links, ledger movements. */
export const accountData: PersonalData = {
  section: 'account',
  async export(tx, userId) {
    const user = await tx
      .selectFrom('users')
      .select([
        'id',
        'phone',
        'role',
        'nickname',
        'status',
        'referral_code',
        'referrer_id',
        'referred_at',
        'store_id',
        'privacy_version',
        'privacy_consented_at',
        'created_at',
      ])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    const consents = await tx
      .selectFrom('consents')
      .select(['document', 'version', 'accepted_at', 'ip'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    const sessions = await tx
      .selectFrom('sessions')
      .select(['created_at', 'expires_at', 'revoked_at', 'user_agent'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    const referredFriends = await tx
      .selectFrom('users')
      .select(['nickname', 'referred_at'])
      .where('referrer_id', '=', userId)
      .orderBy('id')
      .execute();
    return { user, consents, sessions, referredFriends };
  },
  async erase(tx, userId, now) {
    await tx
      .updateTable('users')
      .set({
        phone: null,
        password_hash: null,
        nickname: '已注销用户',
        status: 'deleted',
        failed_logins: 0,
        locked_until: null,
      })
      .where('id', '=', userId)
      .execute();
    await revokeAllSessions(tx, userId, now);
    await tx
      .updateTable('sessions')
      .set({ user_agent: null })
      .where('user_id', '=', userId)
      .execute();
    await tx.updateTable('consents').set({ ip: null }).where('user_id', '=', userId).execute();
  },
};

/** Every ledger movement of the person's accounts (kept at deletion: the books must balance). */
export const ledgerData: PersonalData = {
  section: 'ledger',
  async export(tx, userId) {
    const accounts = await tx
      .selectFrom('ledger_accounts')
      .select([
        'id',
        'asset',
        'debits_posted',
        'credits_posted',
        'debits_pending',
        'credits_pending',
      ])
      .where('owner_type', '=', 'user')
      .where('owner_id', '=', String(userId))
      .execute();
    const ids = accounts.map((a) => a.id);
    const transfers = ids.length
      ? await tx
          .selectFrom('ledger_transfers')
          .select([
            'id',
            'kind',
            'pending_id',
            'debit_account_id',
            'credit_account_id',
            'asset',
            'amount',
            'reason',
            'source_type',
            'source_id',
            'created_at',
          ])
          .where((eb) =>
            eb.or([eb('debit_account_id', 'in', ids), eb('credit_account_id', 'in', ids)]),
          )
          .orderBy('id')
          .execute()
      : [];
    return { accounts, transfers };
  },
};
