import { sql } from 'kysely';
import type { Tx } from '../db/tx.ts';
import type { PersonalData } from './personal-data.ts';

const ERASED_NAME = '已注销用户';

/**
 * What the shop holds about a person beyond the account: addresses, cart, orders with
 * their lines and payments, after-sales, withdrawals, reviews, rewards, queue entries and
 * referral progress. Deletion keeps the trade records (orders, payments, after-sales,
 * withdrawals, rewards) but removes the names, phones, streets and payee details in them.
 */
export const commerceData: PersonalData = {
  section: 'commerce',
  async export(tx, userId) {
    const orders = await tx
      .selectFrom('orders')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    const orderIds = orders.map((o) => o.id);
    const byOrders = <T>(run: (ids: number[]) => Promise<T[]>) =>
      orderIds.length ? run(orderIds) : Promise.resolve([] as T[]);
    return {
      addresses: await tx
        .selectFrom('addresses')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      cart: await tx.selectFrom('cart_items').selectAll().where('user_id', '=', userId).execute(),
      orders,
      orderLines: await byOrders((ids) =>
        tx
          .selectFrom('order_lines')
          .selectAll()
          .where('order_id', 'in', ids)
          .orderBy('id')
          .execute(),
      ),
      payments: await byOrders((ids) =>
        tx
          .selectFrom('payments')
          .select([
            'id',
            'order_id',
            'provider',
            'out_trade_no',
            'amount_fen',
            'status',
            'created_at',
            'paid_at',
          ])
          .where('order_id', 'in', ids)
          .orderBy('id')
          .execute(),
      ),
      afterSales: await tx
        .selectFrom('after_sales')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      withdrawals: await tx
        .selectFrom('withdrawals')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      reviews: await tx
        .selectFrom('reviews')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      rewards: await tx
        .selectFrom('rewards')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      queueEntries: await tx
        .selectFrom('queue_entries')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      referralProgress: await tx
        .selectFrom('referral_progress')
        .selectAll()
        .where('referrer_id', '=', userId)
        .execute(),
    };
  },
  async erase(tx, userId) {
    await tx.deleteFrom('cart_items').where('user_id', '=', userId).execute();
    await tx
      .updateTable('addresses')
      .set({ name: ERASED_NAME, phone: '', district: '', detail: '', is_default: false })
      .where('user_id', '=', userId)
      .execute();
    // the order keeps where it went (province, city) but no longer whom
    await tx
      .updateTable('orders')
      .set({
        address: sql`jsonb_build_object('name', ${ERASED_NAME}::text, 'phone', '',
          'province', coalesce(address->>'province', ''), 'city', coalesce(address->>'city', ''),
          'district', '', 'detail', '')`,
        note: '',
      })
      .where('user_id', '=', userId)
      .execute();
    // a finished withdrawal no longer needs its payee; one still in flight does, until it
    // finishes (erasePayeeIfDeleted)
    await tx
      .updateTable('withdrawals')
      .set({ payee: ERASED_PAYEE })
      .where('user_id', '=', userId)
      .where('status', 'in', FINISHED)
      .execute();
  },
};

const ERASED_PAYEE = JSON.stringify({ erased: true });
const FINISHED = ['paid', 'rejected', 'failed'] as const;

/**
 * A withdrawal just finished (paid, failed or rejected): if its owner deleted the account
 * while it was in flight, the payee's name and account are erased now, as they would have
 * been at deletion. Called at every point where a withdrawal finishes, in its transaction.
 */
export async function erasePayeeIfDeleted(tx: Tx, withdrawalId: number): Promise<void> {
  await tx
    .updateTable('withdrawals')
    .set({ payee: ERASED_PAYEE })
    .where('id', '=', withdrawalId)
    .where('status', 'in', FINISHED)
    .where('user_id', 'in', (eb) =>
      eb.selectFrom('users').select('id').where('status', '=', 'deleted'),
    )
    .execute();
}
