import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import type { SmsProvider } from '../auth/sms.ts';
import type { Registry } from '../app/registry.ts';

/** What route modules get: explicit dependencies, no hidden globals. */
export interface AppDeps {
  db: Db;
  config: Config;
  clock: Clock;
  sms: SmsProvider;
  /** the modules this server runs with; `db` carries it (app/registry.ts `composeDeps`) */
  registry: Registry;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
