import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { migrate, openDatabase, type Db } from '@fanli/server';
import type { EngineResult } from './engine.ts';
import { scenarioLabel, type LoadConfig, type LoadResult, type Scenario } from './load.ts';
import { runPgbench, setupPgbench, type PgbenchResult } from './pgbench.ts';
import {
  REPO_ROOT,
  cpuSeconds,
  machineBusySeconds,
  runTs,
  startFanli,
  writeJson,
  type ServerProc,
} from './procs.ts';
import { seedShop, type Seeded, type ShopSize } from './seed.ts';
import { printReport } from './report.ts';
import { countRoundTrips } from './roundtrips.ts';

/**
 * The whole suite: engine cases, then the HTTP runs on PostgreSQL (one worker, then two),
 * the pgbench ceiling in the same database, then the same shop on PGlite. Every figure
 * goes into one results object, printed as tables and saved as JSON.
 */
export interface BenchOptions {
  quick: boolean;
  adminUrl: string;
  pg: boolean;
  /** on PostgreSQL: everything, or only round trips + pgbench + checkout, or only round trips */
  pgScope: 'all' | 'checkout' | 'roundtrips';
  pglite: boolean;
  engine: boolean;
  workers: boolean;
  profile: boolean;
  outDir: string;
}

export interface HttpRun extends LoadResult {
  target: string;
  /** CPU per request of the server (all its processes) and of the bench database's PostgreSQL backends */
  serverCpuMsPerReq: number;
  postgresCpuMsPerReq: number | null;
  /** the whole machine's busy CPU per request (server, database, load driver) */
  machineCpuMsPerReq: number;
}

export interface BenchResults {
  startedAt: string;
  mode: 'quick' | 'full';
  machine: {
    cpus: number;
    model: string;
    memGb: number;
    node: string;
    loadAvgAtStart: number[];
    loadAvgAtEnd?: number[];
  };
  shop?: { pg?: Seeded['counts']; pglite?: Seeded['counts']; seedSeconds: Record<string, number> };
  engine: EngineResult[];
  http: HttpRun[];
  pgbench?: PgbenchResult;
  /** tps of the ceiling before and after our checkout run; pgbench.tps is their mean */
  pgbenchRuns?: number[];
  /** database round trips per request kind (PostgreSQL) */
  roundTrips?: Record<string, number>;
  checkoutVsPgbench?: number;
  /** the same ratio with `fanli start --workers 2` (its pgbench mean is the 1-worker run's) */
  checkoutVsPgbench2?: number;
  /** the smaller 4-ledger-row transaction first used as the ceiling (pgbench.ts), for reference */
  pgbenchMinimalRuns?: number[];
  checkoutVsMinimal?: number;
  /** the checkout and its ceiling again, both through PostgreSQL's Unix socket */
  socket?: { pgbenchRuns: number[]; ordersPerSec: number; checkoutVsPgbench: number };
  scaling?: { scenario: string; connections: number; rps1: number; rps2: number; ratio: number }[];
  notes: string[];
}

const log = (s: string) => process.stdout.write(`${s}\n`);

/** The same database through the local Unix socket, when PostgreSQL runs here and has one. */
function unixSocketUrl(tcpUrl: string): string | null {
  const u = new URL(tcpUrl);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(u.hostname)) return null;
  const dir = ['/var/run/postgresql', '/tmp'].find((d) =>
    existsSync(join(d, `.s.PGSQL.${u.port || '5432'}`)),
  );
  if (!dir) return null;
  u.hostname = 'localhost';
  u.searchParams.set('host', dir);
  return u.toString();
}

export async function runBench(o: BenchOptions): Promise<BenchResults> {
  mkdirSync(o.outDir, { recursive: true });
  // load configs, the pgbench script and the PGlite directory; removed whatever happens
  const work = mkdtempSync(join(tmpdir(), 'fanli-bench-'));
  try {
    return await runParts(o, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function runParts(o: BenchOptions, work: string): Promise<BenchResults> {
  const secret = `bench-sandbox-${Date.now()}-secret`;
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    mode: o.quick ? 'quick' : 'full',
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '?',
      memGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAvgAtStart: loadavg(),
    },
    engine: [],
    http: [],
    notes: [],
  };
  const dur = o.quick
    ? { warmupMs: 1500, durationMs: 5000 }
    : { warmupMs: 3000, durationMs: 20000 };
  const size: ShopSize = {
    products: 10_000,
    users: 100_000,
    queueEntries: 100_000,
    hotProducts: 100,
    sessions: 1_200,
  };

  if (o.engine) await engineCases(o, results);

  /** the database whose PostgreSQL backends are measured (none on PGlite: it runs in the server process) */
  let pgDatabase: string | null = null;
  const pgCpu = () => (pgDatabase ? cpuSeconds({ cmdline: ` ${pgDatabase} ` }) : 0);
  const load = async (
    target: string,
    server: ServerProc,
    seeded: Seeded,
    scenario: Scenario,
    connections: number,
    thinkMs = 0,
    listPages = 50,
  ) => {
    const cfg: LoadConfig = {
      baseUrl: server.url,
      scenario,
      connections,
      thinkMs,
      sandboxSecret: secret,
      sessions: seeded.sessions,
      hotSkuIds: seeded.hotSkuIds,
      productIds: seeded.productIds,
      listPages,
      ...dur,
    };
    const file = join(work, `load-${Date.now()}.json`);
    writeJson(file, cfg);
    const pgrp = server.child.pid!;
    const [s0, p0, m0] = [cpuSeconds({ pgrp }), pgCpu(), machineBusySeconds()];
    const r = JSON.parse(await runTs('load-main.ts', [file])) as LoadResult;
    const [s1, p1, m1] = [cpuSeconds({ pgrp }), pgCpu(), machineBusySeconds()];
    // the CPU counters cover warm-up and measurement: divide by every request sent then
    const sent = r.requests * ((dur.warmupMs + dur.durationMs) / dur.durationMs);
    const run: HttpRun = {
      target,
      ...r,
      serverCpuMsPerReq: ((s1 - s0) * 1000) / sent,
      // a backend that disconnects between the readings takes its ticks with it
      postgresCpuMsPerReq: pgDatabase && p1 >= p0 ? ((p1 - p0) * 1000) / sent : null,
      machineCpuMsPerReq: ((m1 - m0) * 1000) / sent,
    };
    results.http.push(run);
    log(
      `  ${target.padEnd(22)} ${scenarioLabel(r).padEnd(10)} c=${String(connections).padEnd(4)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.latency.p50.toFixed(1)} ms  p99 ${r.latency.p99.toFixed(1)} ms  max ${r.latency.max.toFixed(0)} ms  errors ${r.errors}  orders/s ${r.ordersPerSec.toFixed(1)}`,
    );
    if (r.errors) log(`    errors: ${JSON.stringify(r.errorKinds)}`);
    return run;
  };
  const seedSeconds: Record<string, number> = {};
  results.shop = { seedSeconds };

  if (o.pg) {
    const dbName = `fanli_bench_${Date.now()}`;
    pgDatabase = dbName;
    const admin = await openDatabase({ databaseUrl: o.adminUrl, poolSize: 1 });
    await sql.raw(`create database ${dbName}`).execute(admin.db);
    const url = new URL(o.adminUrl);
    url.pathname = `/${dbName}`;
    const dbUrl = url.toString();
    log(`\nPostgreSQL: database ${dbName}`);
    try {
      const t = Date.now();
      const database = await openDatabase({ databaseUrl: dbUrl, poolSize: 2 });
      let seeded: Seeded;
      try {
        await migrate(database.db);
        seeded = await seedShop(database.db, size, log);
        await setupPgbench(database.db);
        results.shop.pg = seeded.counts;
      } finally {
        await database.close();
      }
      seedSeconds.pg = (Date.now() - t) / 1000;
      results.roundTrips = await countRoundTrips(dbUrl, seeded, secret);
      log(`  round trips per request: ${JSON.stringify(results.roundTrips)}`);
      // `--only roundtrips`: the counts (and the trace) are all that is wanted
      if (o.pgScope !== 'roundtrips') {
        // the ceiling first, with nothing else of ours running
        log('  pgbench: order transaction, 16 clients');
        const pgbenchSeconds = o.quick ? 8 : 30;
        // Every measured write run starts clean, so none pays for the run before it: the
        // hot rows (the merchant's, the gateway's, pgbench's account 0) and the queues'
        // heads are vacuumed of the thousands of dead versions each run leaves — later
        // updates and scans walk them; autovacuum, once a minute at most, cannot keep up
        // with minutes that compress hours of trade — and a checkpoint writes out the WAL
        // left behind (commits wait on the disk meanwhile).
        // pgbench does the same for its own tables unless told not to (-n).
        const checkpoint = async () => {
          const bench = await openDatabase({ databaseUrl: dbUrl, poolSize: 1 });
          try {
            await sql`vacuum pgb.accounts, pgb.skus, ledger_accounts, skus, products, queue_entries`.execute(
              bench.db,
            );
          } finally {
            await bench.close();
          }
          await sql`checkpoint`.execute(admin.db);
        };
        const ceiling = async (url: string, script: 'order' | 'minimal' = 'order') => {
          await checkpoint();
          return runPgbench(url, 16, pgbenchSeconds, join(work, `${script}.sql`), script);
        };
        results.pgbench = await ceiling(dbUrl);
        log(`  pgbench: ${results.pgbench.tps.toFixed(0)} tps`);
        const minimal = await ceiling(dbUrl, 'minimal');
        log(`  pgbench, minimal script: ${minimal.tps.toFixed(0)} tps`);

        const env = { DATABASE_URL: dbUrl, FANLI_SANDBOX_SECRET: secret };
        const one = await startFanli({
          workers: 1,
          env,
          logFile: join(o.outDir, 'server-pg-1.log'),
          ...(o.profile ? { cpuProfDir: join(o.outDir, 'prof') } : {}),
        });
        const w1: HttpRun[] = [];
        try {
          await load('warm-up', one, seeded, 'mix', 20).then(() => results.http.pop());
          if (o.pgScope === 'all') {
            w1.push(await load('postgres, 1 worker', one, seeded, 'list', 100, 0, 1));
            w1.push(await load('postgres, 1 worker', one, seeded, 'list', 100));
          }
          await checkpoint();
          const co = await load('postgres, 1 worker', one, seeded, 'checkout', 16);
          w1.push(co);
          // the machine is shared: run the ceiling again right after our checkout (server
          // idle) and compare with the mean of the two, so both see the same conditions
          const again = await ceiling(dbUrl);
          log(`  pgbench again: ${again.tps.toFixed(0)} tps`);
          results.pgbenchRuns = [results.pgbench.tps, again.tps];
          results.pgbench = {
            ...again,
            tps: (results.pgbench.tps + again.tps) / 2,
            machineCpuMsPerTx: (results.pgbench.machineCpuMsPerTx + again.machineCpuMsPerTx) / 2,
          };
          results.checkoutVsPgbench = co.ordersPerSec / results.pgbench.tps;
          const minimalAgain = await ceiling(dbUrl, 'minimal');
          log(`  pgbench, minimal script, again: ${minimalAgain.tps.toFixed(0)} tps`);
          results.pgbenchMinimalRuns = [minimal.tps, minimalAgain.tps];
          results.checkoutVsMinimal = (2 * co.ordersPerSec) / (minimal.tps + minimalAgain.tps);
          if (o.pgScope === 'all') {
            for (const c of [1, 100, 1000]) {
              await checkpoint();
              w1.push(await load('postgres, 1 worker', one, seeded, 'mix', c));
            }
            if (!o.quick) {
              await checkpoint();
              await load('postgres, 1 worker', one, seeded, 'mix', 1000, 5000);
            }
          }
        } finally {
          await one.stop();
        }

        // The same comparison through PostgreSQL's Unix socket, for both sides: how a server
        // on the database's own machine connects (pgbench's default too). Each round trip
        // skips the loopback TCP stack.
        const socketUrl = unixSocketUrl(dbUrl);
        if (socketUrl) {
          const before = await ceiling(socketUrl);
          log(`  pgbench (Unix socket): ${before.tps.toFixed(0)} tps`);
          const viaSocket = await startFanli({
            workers: 1,
            env: { ...env, DATABASE_URL: socketUrl },
            logFile: join(o.outDir, 'server-pg-socket.log'),
          });
          try {
            await load('warm-up', viaSocket, seeded, 'checkout', 16).then(() => results.http.pop());
            await checkpoint();
            const co = await load('postgres, socket', viaSocket, seeded, 'checkout', 16);
            const after = await ceiling(socketUrl);
            log(`  pgbench (Unix socket) again: ${after.tps.toFixed(0)} tps`);
            results.socket = {
              pgbenchRuns: [before.tps, after.tps],
              ordersPerSec: co.ordersPerSec,
              checkoutVsPgbench: co.ordersPerSec / ((before.tps + after.tps) / 2),
            };
          } finally {
            await viaSocket.stop();
          }
        }

        if (o.workers && o.pgScope === 'all') {
          const two = await startFanli({
            workers: 2,
            env,
            logFile: join(o.outDir, 'server-pg-2.log'),
          });
          try {
            await load('warm-up', two, seeded, 'mix', 20).then(() => results.http.pop());
            const w2 = [
              await load('postgres, 2 workers', two, seeded, 'list', 100, 0, 1),
              await load('postgres, 2 workers', two, seeded, 'list', 100),
              await checkpoint().then(() =>
                load('postgres, 2 workers', two, seeded, 'checkout', 16),
              ),
              await checkpoint().then(() => load('postgres, 2 workers', two, seeded, 'mix', 100)),
            ];
            const co2 = w2.find((b) => b.scenario === 'checkout');
            if (co2 && results.pgbench)
              results.checkoutVsPgbench2 = co2.ordersPerSec / results.pgbench.tps;
            results.scaling = w2.map((b) => {
              const a = w1.find(
                (x) =>
                  x.scenario === b.scenario &&
                  x.connections === b.connections &&
                  x.listPages === b.listPages,
              )!;
              const metric = (r: HttpRun) => (r.scenario === 'checkout' ? r.ordersPerSec : r.rps);
              return {
                scenario: scenarioLabel(b),
                connections: b.connections,
                rps1: metric(a),
                rps2: metric(b),
                ratio: metric(b) / metric(a),
              };
            });
          } finally {
            await two.stop();
          }
        }
      }
    } finally {
      await sql.raw(`drop database if exists ${dbName} with (force)`).execute(admin.db);
      await admin.close();
    }
  }

  if (o.pglite) {
    pgDatabase = null;
    const dir = join(work, 'pglite');
    log(`\nPGlite: ${dir}`);
    try {
      const t = Date.now();
      const database = await openDatabase({ dataDir: dir });
      let seeded: Seeded;
      try {
        await migrate(database.db as Db);
        seeded = await seedShop(database.db, size, log);
        results.shop.pglite = seeded.counts;
      } finally {
        await database.close();
      }
      seedSeconds.pglite = (Date.now() - t) / 1000;
      const server = await startFanli({
        workers: 1,
        env: { FANLI_DATA_DIR: dir, FANLI_SANDBOX_SECRET: secret },
        logFile: join(o.outDir, 'server-pglite.log'),
      });
      try {
        await load('warm-up', server, seeded, 'mix', 20).then(() => results.http.pop());
        await load('pglite', server, seeded, 'list', 100, 0, 1);
        await load('pglite', server, seeded, 'list', 100);
        await load('pglite', server, seeded, 'checkout', 16);
        for (const c of [1, 100, 1000]) await load('pglite', server, seeded, 'mix', c);
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  results.machine.loadAvgAtEnd = loadavg();
  const file = join(
    o.outDir,
    `bench-${results.mode}-${results.startedAt.replace(/[:.]/g, '-')}.json`,
  );
  writeJson(file, results);
  printReport(results, log);
  log(`\nresults: ${file.replace(`${REPO_ROOT}/`, '')}`);
  return results;
}

async function engineCases(o: BenchOptions, results: BenchResults) {
  log('\nEngine (no HTTP, no database); each case in its own process');
  const cases: string[][] = [
    ['settle', '10000', '100000'],
    ['settle', '1000000', '100000'],
    ['settle', '10000', '100000', 'ledger'],
    ['settle', '1000000', '100000', 'ledger'],
    ['simulate', o.quick ? '100000' : '1000000'],
  ];
  for (const c of cases) {
    const r = JSON.parse(await runTs('engine-main.ts', c)) as EngineResult;
    results.engine.push(r);
    log(
      `  ${r.case.padEnd(52)} ${r.seconds.toFixed(2)} s  ${Math.round(r.perSec).toLocaleString('en-US')}/s  peak RSS ${r.peakRssMb} MB`,
    );
  }
}
