import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { currentUser } from '../http/access.ts';
import { AppError } from '../errors/index.ts';
import { inTx } from '../db/tx.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { clearSessionCookies } from '../auth/sessions.ts';
import { audit } from '../audit/audit.ts';
import type { PersonalData } from './personal-data.ts';

/**
 * The person's rights over their data: a complete export, and deletion that anonymises
 * personal data while keeping trade and ledger records.
 */
export function privacyRoutes(parts: () => readonly PersonalData[]) {
  return (app: App, deps: AppDeps) => {
    app.get(
      '/api/v1/me/export',
      {
        config: { access: 'user' },
        schema: { tags: ['privacy'], summary: 'Everything held about me, as one JSON document' },
      },
      async (req, reply) => {
        const me = currentUser(req);
        const doc = await inTx(deps.db, async (tx) => {
          const out: Record<string, unknown> = { exportedAt: deps.clock.now().toISOString() };
          for (const part of parts()) out[part.section] = await part.export(tx, me.id);
          return out;
        });
        return reply
          .header('content-disposition', `attachment; filename="fanli-export-${me.id}.json"`)
          .send(doc);
      },
    );

    app.post(
      '/api/v1/me/delete',
      {
        config: { access: ['shopper'] },
        schema: {
          tags: ['privacy'],
          summary: 'Delete my account: personal data is anonymised, trade records are kept',
          body: Type.Object(
            {
              confirm: Type.Literal('DELETE'),
              password: Type.Optional(Type.String({ maxLength: 128 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const me = currentUser(req);
        const now = deps.clock.now();
        const user = await deps.db
          .selectFrom('users')
          .select(['password_hash'])
          .where('id', '=', me.id)
          .executeTakeFirstOrThrow();
        // with a password set, deleting needs it again: a borrowed phone cannot do it
        if (
          user.password_hash &&
          !(await verifyPassword(user.password_hash, req.body.password ?? ''))
        ) {
          throw new AppError('INVALID_CREDENTIALS');
        }
        await inTx(deps.db, async (tx) => {
          for (const part of parts()) await part.erase?.(tx, me.id, now);
          // the record of the deletion keeps no address either
          await audit(
            tx,
            { id: me.id, role: me.role },
            'account.delete',
            { type: 'user', id: me.id },
            {},
            now,
          );
        });
        clearSessionCookies(reply);
        return { deleted: true };
      },
    );
  };
}
