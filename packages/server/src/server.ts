import type { FastifyBaseLogger } from 'fastify';
import { loadConfig, type Config } from './config/config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { buildApp } from './app/app.ts';
import type { App, AppDeps } from './http/deps.ts';
import { systemClock, TestClock, type Clock } from './clock/clock.ts';
import { ConsoleSmsProvider, MemorySmsProvider, type SmsProvider } from './auth/sms.ts';
import { JobRunner } from './jobs/index.ts';
import { schedulePrune, vacuumHotTables } from './jobs/maintenance.ts';
import { MODULES } from './app/modules.ts';
import { allJobHandlers, buildRegistry, composeDeps, type Registry } from './app/registry.ts';
import { inTx } from './db/tx.ts';

const VACUUM_EVERY_MS = 5 * 60_000;

export interface Running {
  app: App;
  deps: AppDeps;
  database: Database;
  jobs: JobRunner;
  url: string;
  close(): Promise<void>;
}

export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
}

/**
 * Opens the database, applies migrations, builds the HTTP app and starts the job runner.
 * Everything a process holds is derived from the database: run as many as you like.
 */
export async function startServer(
  overrides: Partial<Config> = {},
  options: {
    listen?: boolean;
    logger?: boolean;
    sms?: SmsProvider;
    clock?: Clock;
    database?: Database;
    /** the modules this server runs with (default: built from the module table) */
    registry?: Registry;
  } = {},
): Promise<Running> {
  const config = loadConfig(process.env, overrides);
  const database = options.database ?? (await openConfiguredDatabase(config));
  await migrate(database.db);
  const clock = options.clock ?? (config.clock === 'test' ? new TestClock() : systemClock);
  const sms =
    options.sms ??
    (config.smsProvider === 'memory'
      ? new MemorySmsProvider()
      : new ConsoleSmsProvider({ printCodes: config.smsPrintCodes }));
  const deps: AppDeps = composeDeps(
    { db: database.db, config, clock, sms },
    options.registry ?? buildRegistry(MODULES),
  );
  const app = await buildApp(deps, { logger: options.logger ?? true });
  const log: FastifyBaseLogger = app.log;
  const jobs = new JobRunner({
    db: deps.db,
    clock,
    handlers: allJobHandlers(deps),
    pollMs: config.jobsPollMs,
    onError: (job, err) => log.error({ err, jobId: job.id, kind: job.kind }, 'job failed'),
  });
  await inTx(deps.db, (tx) => schedulePrune(tx, clock.now(), clock.now()));
  let url = '';
  if (options.listen !== false) {
    // A burst of shoppers arriving at once waits in the kernel's accept queue while the
    // event loop is busy (on PGlite every query runs on it); past Node's default of 511
    // the kernel drops them and the clients see a reset about 30 s later.
    url = await app.listen({ port: config.port, host: config.host, backlog: 4096 });
  } else {
    await app.ready();
  }
  if (config.jobsEnabled) jobs.start();
  // no autovacuum on PGlite (one standalone backend): the server vacuums its hot tables
  const vacuuming =
    database.kind === 'pglite' && config.jobsEnabled
      ? setInterval(() => {
          vacuumHotTables(database.db).catch((err: unknown) =>
            log.warn({ err }, 'vacuum of the hot tables failed'),
          );
        }, VACUUM_EVERY_MS)
      : undefined;
  vacuuming?.unref();
  return {
    app,
    deps,
    database,
    jobs,
    url,
    close: async () => {
      clearInterval(vacuuming);
      await jobs.stop();
      await app.close();
      if (!options.database) await database.close();
    },
  };
}
