import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../http/deps.ts';
import { currentUser, STAFF, ADMIN } from '../http/access.ts';
import { AppError } from '../errors/index.ts';
import { settingsRefused } from '../errors/setting-errors.ts';
import { inTx } from '../db/tx.ts';
import { validateSettings, type Settings } from '@fanli/engine';
import { ruleVersion, rulesInForce, upcomingRules, type RuleVersion } from './versions.ts';
import { publishRules } from './publish.ts';
import { IdParam } from '../http/schemas.ts';
import { previewRules } from './preview.ts';

/** What shoppers may see of the rules: everything but the merchant's budget. */
function publicView(v: RuleVersion) {
  const settings: Settings = structuredClone(v.settings);
  (settings.referral as { budgetFen: number | null }).budgetFen = null;
  return { id: v.id, effectiveAt: v.effectiveAt, note: v.note, settings };
}

export function rulesRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/v1/rules',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rules'],
        summary: 'The reward rules in force and any announced change (the rules page)',
      },
    },
    async () => {
      const now = deps.clock.now();
      const [current, upcoming] = await Promise.all([
        rulesInForce(deps.db, now),
        upcomingRules(deps.db, now),
      ]);
      return { current: publicView(current), upcoming: upcoming.map(publicView) };
    },
  );

  app.get(
    '/api/v1/admin/rules',
    {
      config: { access: STAFF },
      schema: { tags: ['rules'], summary: 'Rule versions, newest first, with the one in force' },
    },
    async () => {
      const now = deps.clock.now();
      const current = await rulesInForce(deps.db, now);
      const rows = await deps.db
        .selectFrom('rule_versions')
        .select(['id', 'effective_at', 'note', 'created_by', 'created_at'])
        .orderBy('id', 'desc')
        .limit(100)
        .execute();
      return {
        current,
        versions: rows.map((r) => ({
          id: r.id,
          effectiveAt: new Date(r.effective_at).toISOString(),
          note: r.note,
          createdBy: r.created_by,
          createdAt: new Date(r.created_at).toISOString(),
          inForce: r.id === current.id,
          announced: new Date(r.effective_at) > now,
        })),
      };
    },
  );

  app.get(
    '/api/v1/admin/rules/versions/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: ['rules'],
        summary: "One version's settings document (defaults filled in), e.g. to edit it again",
        params: IdParam,
      },
    },
    async (req) => {
      const found = await deps.db
        .selectFrom('rule_versions')
        .select('id')
        .where('id', '=', req.params.id)
        .executeTakeFirst();
      if (!found) throw new AppError('NOT_FOUND');
      return ruleVersion(deps.db, found.id);
    },
  );

  app.post(
    '/api/v1/admin/rules/validate',
    {
      config: { access: STAFF },
      schema: {
        tags: ['rules'],
        summary: 'Check a settings document without saving it; errors name the field',
        body: Type.Object({ settings: Type.Unknown() }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const v = validateSettings(req.body.settings);
      if (!v.ok) throw settingsRefused(v.errors, req.headers['accept-language']);
      return { settings: v.value };
    },
  );

  app.post(
    '/api/v1/admin/rules/preview',
    {
      config: { access: STAFF },
      schema: {
        tags: ['rules'],
        summary:
          "Try rules before launching them: the shop's own recent orders replayed through the rule engine",
        body: Type.Object(
          {
            settings: Type.Unknown(),
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const v = validateSettings(req.body.settings);
      if (!v.ok) throw settingsRefused(v.errors, req.headers['accept-language']);
      const out = await previewRules(
        deps.db,
        req.body.settings ?? {},
        req.body.days ?? 30,
        deps.clock.now(),
      );
      if (!out.ok) throw settingsRefused(out.errors, req.headers['accept-language']);
      return out.value;
    },
  );

  app.post(
    '/api/v1/admin/rules',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['rules'],
        summary: 'Publish a new version of the rules, now or announced for later',
        body: Type.Object(
          {
            settings: Type.Unknown(),
            effectiveAt: Type.Optional(Type.String({ format: 'date-time' })),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (
      req: FastifyRequest<{ Body: { settings: unknown; effectiveAt?: string; note?: string } }>,
      reply,
    ) => {
      const user = currentUser(req);
      const now = deps.clock.now();
      const effectiveAt = req.body.effectiveAt ? new Date(req.body.effectiveAt) : now;
      const result = await inTx(deps.db, (tx) =>
        publishRules(
          tx,
          { settings: req.body.settings, effectiveAt, note: req.body.note ?? '' },
          { id: user.id, role: user.role, ip: req.ip },
          now,
        ),
      );
      if (!result.ok) throw settingsRefused(result.errors, req.headers['accept-language']);
      return reply.status(201).send(result.value);
    },
  );
}
