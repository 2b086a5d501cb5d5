import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../bench/procs.ts';
import { runBench } from '../bench/run.ts';

const USAGE = `Usage: fanli bench [--quick] [--only pg,pglite,engine,workers,checkout,roundtrips] [--profile] [--admin-url URL] [--out DIR]

  --quick       a smoke run (~3 min): 5 s per load level, 100,000-event simulation
  --only        run some parts only (default: pg,pglite,engine,workers); on PostgreSQL,
                \`checkout\` runs just round trips, pgbench and the checkout, and
                \`roundtrips\` just counts each request's round trips
  --profile     write a --cpu-prof profile of the 1-worker PostgreSQL server to <out>/prof
  --admin-url   PostgreSQL to create the fanli_bench_* database in
                (default $BENCH_ADMIN_URL or postgres://postgres@127.0.0.1:5432/postgres)
  --out         where results JSON and server logs go (default data/bench)
`;

/** \`fanli bench\`: the performance suite (docs/performance.md). */
export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        profile: { type: 'boolean', default: false },
        'admin-url': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`fanli bench: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parts = new Set(
    (values.only ?? 'pg,pglite,engine,workers').split(',').map((s) => s.trim()),
  );
  const known = ['pg', 'pglite', 'engine', 'workers', 'checkout', 'roundtrips'];
  const unknown = [...parts].filter((p) => !known.includes(p));
  if (unknown.length) {
    process.stderr.write(`fanli bench: unknown part(s) ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  try {
    await runBench({
      quick: values.quick === true,
      adminUrl:
        values['admin-url'] ??
        process.env.BENCH_ADMIN_URL ??
        'postgres://postgres@127.0.0.1:5432/postgres',
      pg: parts.has('pg') || parts.has('checkout') || parts.has('roundtrips'),
      pgScope: parts.has('pg') ? 'all' : parts.has('checkout') ? 'checkout' : 'roundtrips',
      pglite: parts.has('pglite'),
      engine: parts.has('engine'),
      workers: parts.has('workers') && parts.has('pg'),
      profile: values.profile === true,
      outDir: values.out ?? join(REPO_ROOT, 'data/bench'),
    });
    return 0;
  } catch (e) {
    process.stderr.write(`fanli bench: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
