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
        'member_level',
        'growth',
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
    // what the audit log holds about the person: their own actions (with the address they
    // came from) and staff actions on their account (staff addresses are not theirs)
    const audit = await tx
      .selectFrom('audit_log')
      .select([
        'id',
        'actor_role',
        'action',
        'object_type',
        'object_id',
        'detail',
        'created_at',
        (eb) =>
          eb.case().when('actor_id', '=', userId).then(eb.ref('ip')).else(null).end().as('ip'),
      ])
      .where((eb) =>
        eb.or([
          eb('actor_id', '=', userId),
          eb.and([eb('object_type', '=', 'user'), eb('object_id', '=', String(userId))]),
        ]),
      )
      .orderBy('id')
      .execute();
    return { user, consents, sessions, referredFriends, audit };
  },
  async erase(tx, userId, now) {
    const { phone } = await tx
      .selectFrom('users')
      .select('phone')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    // login codes sent to the phone name it: they go with the account
    if (phone) await tx.deleteFrom('otp_codes').where('phone', '=', phone).execute();
    // the audit log keeps what was done, not from which address (the only change it allows)
    await tx.updateTable('audit_log').set({ ip: null }).where('actor_id', '=', userId).execute();
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
