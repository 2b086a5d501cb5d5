import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import {
  buildRegistry,
  loadConfig,
  MODULES,
  migrate,
  openConfiguredDatabase,
  seedDemo,
  startServer,
  DEMO_LOGINS,
} from '@fanli/server';

function banner(url: string, demo: boolean): string {
  const base = url.replace(/\/\/(0\.0\.0\.0|127\.0\.0\.1|\[::1?\])/, '//localhost');
  const lines = [
    '',
    `Fanli is running at ${base}`,
    `  Shop (H5):      ${base}/`,
    `  Console:        ${base}/admin`,
    `  API docs:       ${base}/api/docs`,
  ];
  if (demo) {
    lines.push('', 'Demo logins (phone / password):');
    for (const l of DEMO_LOGINS) {
      lines.push(
        `  ${l.role.padEnd(8)} ${l.phone} / ${l.password.padEnd(13)} ${l.nickname}  → ${base}${l.where}`,
      );
    }
    lines.push('  New shoppers can sign up with any phone: the demo shows the SMS code on screen.');
    if (/\/\/(127\.0\.0\.1|\[::1\])/.test(url))
      lines.push('  Only this computer can open it; HOST=0.0.0.0 lets phones on your network in.');
  }
  return lines.join('\n') + '\n';
}

/** `fanli start [--demo] [--workers N]` */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      demo: { type: 'boolean', default: false },
      workers: { type: 'string', default: '1' },
    },
  });
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    process.stderr.write('fanli start: --workers must be an integer from 1 to 64\n');
    return 2;
  }
  const demo = values.demo === true || process.env.FANLI_DEMO === 'true';
  let config;
  try {
    config = loadConfig(process.env, { demo });
  } catch (e) {
    process.stderr.write(`fanli start: ${(e as Error).message}\n`);
    return 2;
  }

  if (workers > 1 && cluster.isPrimary) {
    if (!config.databaseUrl) {
      process.stderr.write(
        'fanli start: --workers > 1 needs DATABASE_URL (embedded PGlite is one process)\n',
      );
      return 2;
    }
    // migrate and seed once, then fork stateless workers that share the port
    const database = await openConfiguredDatabase(config);
    await migrate(database.db);
    if (demo) await seedDemo(database.db);
    await database.close();
    for (let i = 0; i < workers; i++) cluster.fork();
    cluster.on('exit', (worker, code) => {
      process.stderr.write(`worker ${worker.process.pid} exited (${code})\n`);
    });
    process.stdout.write(banner(`http://${config.host}:${config.port}`, demo));
    await new Promise(() => {});
  }

  const running = await startServer({ demo }, { logger: true, registry: buildRegistry(MODULES) });
  if (demo && cluster.isPrimary) await seedDemo(running.deps.db);
  if (cluster.isPrimary) process.stdout.write(banner(running.url, demo));
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise(() => {});
  return 0;
}
