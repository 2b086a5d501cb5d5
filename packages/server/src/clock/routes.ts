import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { TestClock } from './clock.ts';
import { ADMIN } from '../http/access.ts';

/**
 * End-to-end tests move time forward (an after-sale window "passes") through this route.
 * It exists only when the server runs with the test clock (FANLI_CLOCK=test, refused with
 * NODE_ENV=production): a real shop has no such route at all.
 */
export function testClockRoutes(app: App, deps: AppDeps) {
  const clock = deps.clock;
  if (!(clock instanceof TestClock)) return;
  app.post(
    '/api/v1/test/clock/advance',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['test'],
        summary: 'Test clock only: move time forward; due jobs run on the next poll',
        body: Type.Object(
          { ms: Type.Integer({ minimum: 0, maximum: 3_650 * 86_400_000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      clock.advance(req.body.ms);
      return { now: clock.now().toISOString() };
    },
  );
}
