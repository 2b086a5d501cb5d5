import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam } from '../http/schemas.ts';
import { currentUser } from '../http/access.ts';
import { AppError } from '../errors/index.ts';
import { inTx } from '../db/tx.ts';
import type { Tx } from '../db/tx.ts';
import type { AddressesTable } from '../db/schema-commerce.ts';
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { DB } from '../db/schema.ts';
import { lockUser } from '../users/lock.ts';

const MAX_ADDRESSES = 20;

const AddressBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    phone: Type.String({ pattern: '^[0-9+\\- ]{5,20}$' }),
    province: Type.Optional(Type.String({ maxLength: 40 })),
    city: Type.Optional(Type.String({ maxLength: 40 })),
    district: Type.Optional(Type.String({ maxLength: 40 })),
    detail: Type.String({ minLength: 1, maxLength: 200 }),
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const view = (a: Selectable<AddressesTable>) => ({
  id: a.id,
  name: a.name,
  phone: a.phone,
  province: a.province,
  city: a.city,
  district: a.district,
  detail: a.detail,
  isDefault: a.is_default,
});

/** Before another address becomes the default (at most one per user: a unique index). */
async function clearDefault(tx: Tx, userId: number, except?: number) {
  await tx
    .updateTable('addresses')
    .set({ is_default: false })
    .where('user_id', '=', userId)
    .where('is_default', '=', true)
    .$if(except !== undefined, (q) => q.where('id', '<>', except!))
    .execute();
}

/** Shipping addresses: each shopper sees and changes only their own (another's id is 404). */
export function addressRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/v1/addresses',
    {
      config: { access: 'user' },
      schema: { tags: ['addresses'], summary: 'My shipping addresses, default first' },
    },
    async (req) => {
      const me = currentUser(req);
      const rows = await deps.db
        .selectFrom('addresses')
        .selectAll()
        .where('user_id', '=', me.id)
        .orderBy('is_default', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(view);
    },
  );

  app.post(
    '/api/v1/addresses',
    {
      config: { access: 'user' },
      schema: { tags: ['addresses'], summary: 'Add a shipping address', body: AddressBody },
    },
    async (req, reply) => {
      const me = currentUser(req);
      const b = req.body;
      const row = await inTx(deps.db, async (tx) => {
        // one request per user at a time: the limit and the one default are judged under it
        if (!(await lockUser(tx, me.id))) throw new AppError('UNAUTHENTICATED');
        if (b.isDefault === true) await clearDefault(tx, me.id);
        const mine = (eb: ExpressionBuilder<DB, never>) =>
          eb.selectFrom('addresses').where('user_id', '=', me.id);
        const a = await tx
          .insertInto('addresses')
          .columns([
            'user_id',
            'name',
            'phone',
            'province',
            'city',
            'district',
            'detail',
            'is_default',
            'created_at',
          ])
          .expression(
            tx
              .selectNoFrom((eb) => [
                eb.val(me.id).as('user_id'),
                eb.val(b.name).as('name'),
                eb.val(b.phone).as('phone'),
                eb.val(b.province ?? '').as('province'),
                eb.val(b.city ?? '').as('city'),
                eb.val(b.district ?? '').as('district'),
                eb.val(b.detail).as('detail'),
                // the first address (or the first after the default was deleted) is the default
                (b.isDefault === true
                  ? eb.val(true)
                  : eb.not(eb.exists(mine(eb).select('id').where('is_default', '=', true)))
                ).as('is_default'),
                eb.val(deps.clock.now()).as('created_at'),
              ])
              // the limit and the insert are one statement, judged under the user's lock
              .where((eb) =>
                eb(
                  mine(eb).select((c) => c.fn.countAll().as('n')),
                  '<',
                  MAX_ADDRESSES,
                ),
              ),
          )
          .returningAll()
          .executeTakeFirst();
        if (!a) throw new AppError('ADDRESS_LIMIT_REACHED');
        return a;
      });
      return reply.status(201).send(view(row));
    },
  );

  app.put(
    '/api/v1/addresses/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['addresses'],
        summary: 'Change one of my addresses',
        params: IdParam,
        body: AddressBody,
      },
    },
    async (req) => {
      const me = currentUser(req);
      const b = req.body;
      const row = await inTx(deps.db, async (tx) => {
        if (b.isDefault === true) {
          if (!(await lockUser(tx, me.id))) throw new AppError('UNAUTHENTICATED');
          await clearDefault(tx, me.id, req.params.id);
        }
        const a = await tx
          .updateTable('addresses')
          .set({
            name: b.name,
            phone: b.phone,
            province: b.province ?? '',
            city: b.city ?? '',
            district: b.district ?? '',
            detail: b.detail,
            ...(b.isDefault !== undefined ? { is_default: b.isDefault } : {}),
          })
          .where('id', '=', req.params.id)
          .where('user_id', '=', me.id)
          .returningAll()
          .executeTakeFirst();
        if (!a) throw new AppError('NOT_FOUND');
        return a;
      });
      return view(row);
    },
  );

  app.delete(
    '/api/v1/addresses/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['addresses'],
        summary: 'Delete one of my addresses (orders keep their own copy)',
        params: IdParam,
      },
    },
    async (req, reply) => {
      const me = currentUser(req);
      const gone = await deps.db
        .deleteFrom('addresses')
        .where('id', '=', req.params.id)
        .where('user_id', '=', me.id)
        .returning('id')
        .executeTakeFirst();
      if (!gone) throw new AppError('NOT_FOUND');
      return reply.status(204).send();
    },
  );
}
