import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam } from '../http/schemas.ts';
import { currentUser } from '../http/access.ts';
import { AppError } from '../errors/index.ts';
import { inTx } from '../db/tx.ts';
import type { Tx } from '../db/tx.ts';
import type { AddressesTable } from '../db/schema-commerce.ts';
import type { Selectable } from 'kysely';

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

async function clearDefault(tx: Tx, userId: number, except: number) {
  await tx
    .updateTable('addresses')
    .set({ is_default: false })
    .where('user_id', '=', userId)
    .where('id', '<>', except)
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
        const n = await tx
          .selectFrom('addresses')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('user_id', '=', me.id)
          .executeTakeFirstOrThrow();
        if (Number(n.n) >= MAX_ADDRESSES)
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ field: 'body', reason: `at most ${MAX_ADDRESSES} addresses` }],
          });
        const a = await tx
          .insertInto('addresses')
          .values({
            user_id: me.id,
            name: b.name,
            phone: b.phone,
            province: b.province ?? '',
            city: b.city ?? '',
            district: b.district ?? '',
            detail: b.detail,
            is_default: b.isDefault === true || Number(n.n) === 0,
            created_at: deps.clock.now(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (a.is_default) await clearDefault(tx, me.id, a.id);
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
        if (a.is_default) await clearDefault(tx, me.id, a.id);
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
