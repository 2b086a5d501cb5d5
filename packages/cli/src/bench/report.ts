import type { BenchResults } from './run.ts';
import { scenarioLabel } from './load.ts';
import { fmt } from './stats.ts';

function table(rows: string[][], log: (s: string) => void) {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  rows.forEach((r, k) => {
    log(
      `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`,
    );
    if (k === 0) log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  });
}

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** The end-of-run tables, and the targets of issue 6 with their verdicts. */
export function printReport(r: BenchResults, log: (s: string) => void) {
  log(
    `\n=== Fanli benchmark (${r.mode}) — ${r.startedAt} — ${r.machine.cpus} × ${r.machine.model}, node ${r.machine.node}`,
  );
  log(
    `    load average at start ${r.machine.loadAvgAtStart.map((v) => v.toFixed(2)).join(' ')}, at end ${(r.machine.loadAvgAtEnd ?? []).map((v) => v.toFixed(2)).join(' ')}`,
  );

  if (r.http.length) {
    log(
      '\nHTTP (load driver in its own process, loopback, keep-alive; closed loop unless think > 0)',
    );
    const rows = [
      [
        'target',
        'scenario',
        'conns',
        'think ms',
        'req/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'errors',
        'orders/s',
        'order flow p99 ms',
        'server cpu ms/req',
        'pg cpu ms/req',
        'driver cpu ms/req',
      ],
    ];
    for (const h of r.http) {
      rows.push([
        h.target,
        scenarioLabel(h),
        String(h.connections),
        String(h.thinkMs),
        fmt(h.rps),
        fmt(h.latency.p50, 1),
        fmt(h.latency.p99, 1),
        fmt(h.latency.max),
        String(h.errors),
        fmt(h.ordersPerSec, 1),
        h.checkoutFlow ? fmt(h.checkoutFlow.p99, 1) : '',
        h.serverCpuMsPerReq.toFixed(2),
        h.postgresCpuMsPerReq === null ? '–' : h.postgresCpuMsPerReq.toFixed(2),
        h.driverCpuMsPerReq.toFixed(2),
      ]);
    }
    table(rows, log);
    const mix = r.http.filter(
      (h) => h.scenario === 'mix' && h.connections >= 100 && h.target.startsWith('postgres, 1'),
    );
    if (mix.length) {
      log('\n  by request kind (postgres, 1 worker, mix):');
      const kinds = [
        [
          'kind',
          ...mix.map((m) => `c=${m.connections}${m.thinkMs ? ` think` : ''} req/s`),
          ...mix.map((m) => `c=${m.connections}${m.thinkMs ? ` think` : ''} p99 ms`),
        ],
      ];
      const names = [...new Set(mix.flatMap((m) => Object.keys(m.byKind)))].sort();
      for (const k of names)
        kinds.push([
          k,
          ...mix.map((m) => fmt(m.byKind[k]?.rps ?? 0)),
          ...mix.map((m) => fmt(m.byKind[k]?.latency.p99 ?? 0, 1)),
        ]);
      table(kinds, log);
    }
  }

  if (r.roundTrips) {
    log(
      '\nDatabase round trips per request (PostgreSQL, one request each, counted at the pg client)',
    );
    table(
      [['request', 'round trips'], ...Object.entries(r.roundTrips).map(([k, v]) => [k, String(v)])],
      log,
    );
  }
  if (r.pgbench) {
    const runs = r.pgbenchRuns
      ? ` (mean of ${r.pgbenchRuns.map((v) => fmt(v)).join(' before and ')} after our checkout run)`
      : '';
    log(
      `\npgbench ceiling (order transaction, ${r.pgbench.clients} clients, ${r.pgbench.seconds} s): ${fmt(r.pgbench.tps)} tps${runs}`,
    );
  }
  const checkout = r.http.find(
    (h) => h.target === 'postgres, 1 worker' && h.scenario === 'checkout',
  );
  if (r.pgbench && checkout?.machineCpuMsPerReq)
    log(
      `CPU of the whole machine: pgbench ${r.pgbench.machineCpuMsPerTx.toFixed(2)} ms per transaction; ` +
        `Fanli ${((checkout.machineCpuMsPerReq * checkout.rps) / checkout.ordersPerSec).toFixed(2)} ms per order ` +
        `(place + pay + notification, load driver included)`,
    );
  if (r.pgbenchMinimalRuns)
    log(
      `minimal script (4 ledger rows, 2 balances): ${r.pgbenchMinimalRuns.map((v) => fmt(v)).join(' before and ')} after`,
    );
  if (r.socket)
    log(
      `through the Unix socket: pgbench ${r.socket.pgbenchRuns.map((v) => fmt(v)).join(' before and ')} after; checkout ${r.socket.ordersPerSec.toFixed(1)} orders/s`,
    );
  if (r.scaling?.length) {
    log(
      '\nScaling, fanli start --workers 1 → 2 (one PostgreSQL; checkout in orders/s, others req/s)',
    );
    table(
      [
        ['scenario', 'conns', '1 worker', '2 workers', 'ratio'],
        ...r.scaling.map((s) => [
          s.scenario,
          String(s.connections),
          fmt(s.rps1),
          fmt(s.rps2),
          `${s.ratio.toFixed(2)}×`,
        ]),
      ],
      log,
    );
  }
  if (r.engine.length) {
    log('\nEngine (no HTTP, no database)');
    table(
      [
        [
          'case',
          'wall s',
          'cpu s',
          'per s (wall)',
          'per cpu-s',
          'µs/order',
          'entries/order',
          'peak RSS MB',
        ],
        ...r.engine.map((e) => [
          e.case,
          e.seconds.toFixed(2),
          e.cpuSeconds.toFixed(2),
          fmt(e.perSec),
          fmt(e.perCpuSec),
          e.usPerOrder ? e.usPerOrder.toFixed(2) : '',
          e.entriesTouched ? e.entriesTouched.toFixed(2) : '',
          fmt(e.peakRssMb),
        ]),
      ],
      log,
    );
  }

  log('\nTargets (issue 6)');
  const rows = [['target', 'measured', 'verdict']];
  const pg1000 = r.http.find(
    (h) =>
      h.target === 'postgres, 1 worker' &&
      h.scenario === 'mix' &&
      h.connections === 1000 &&
      h.thinkMs === 0,
  );
  if (pg1000)
    rows.push([
      '1000 conns, mix: 0 errors, p99 < 300 ms',
      `${pg1000.errors} errors, p99 ${fmt(pg1000.latency.p99)} ms`,
      verdict(pg1000.errors === 0 && pg1000.latency.p99 < 300),
    ]);
  const pg1000t = r.http.find(
    (h) =>
      h.target === 'postgres, 1 worker' &&
      h.scenario === 'mix' &&
      h.connections === 1000 &&
      h.thinkMs > 0,
  );
  if (pg1000t)
    rows.push([
      `  same, ${pg1000t.thinkMs} ms think time`,
      `${pg1000t.errors} errors, p99 ${fmt(pg1000t.latency.p99)} ms`,
      verdict(pg1000t.errors === 0 && pg1000t.latency.p99 < 300),
    ]);
  if (r.checkoutVsPgbench !== undefined)
    rows.push([
      'checkout ≥ 35 % of pgbench',
      `${(r.checkoutVsPgbench * 100).toFixed(1)} %`,
      verdict(r.checkoutVsPgbench >= 0.35),
    ]);
  if (r.checkoutVsPgbench2 !== undefined)
    rows.push([
      '  same, fanli start --workers 2',
      `${(r.checkoutVsPgbench2 * 100).toFixed(1)} %`,
      verdict(r.checkoutVsPgbench2 >= 0.35),
    ]);
  if (r.checkoutVsMinimal !== undefined)
    rows.push([
      '  same, against the minimal 4-row script',
      `${(r.checkoutVsMinimal * 100).toFixed(1)} %`,
      verdict(r.checkoutVsMinimal >= 0.35),
    ]);
  if (r.socket)
    rows.push([
      '  same, both through the Unix socket',
      `${(r.socket.checkoutVsPgbench * 100).toFixed(1)} %`,
      verdict(r.socket.checkoutVsPgbench >= 0.35),
    ]);
  for (const pages of [1, 50]) {
    const list = r.http.find(
      (h) => h.target === 'postgres, 1 worker' && h.scenario === 'list' && h.listPages === pages,
    );
    if (list)
      rows.push([
        `product list ≥ 5,000 req/s at 100 conns (${scenarioLabel(list)})`,
        `${fmt(list.rps)} req/s`,
        verdict(list.rps >= 5000),
      ]);
  }
  const plan = r.engine.filter((e) => e.case.startsWith('settle') && !e.detail.ledger);
  if (plan.length) {
    // judged per CPU-second: on a shared machine the wall clock also counts others' work
    const worst = Math.min(...plan.map((e) => e.perCpuSec));
    const worstWall = Math.min(...plan.map((e) => e.perSec));
    rows.push([
      'queue settlement ≥ 200,000 contributions/s',
      `${fmt(worst)} per cpu-s, ${fmt(worstWall)}/s wall (plan + entry updates)`,
      verdict(worst >= 200_000),
    ]);
    const [a, b] = [
      plan.find((e) => e.detail.queueLength === 10000),
      plan.find((e) => e.detail.queueLength === 1000000),
    ];
    if (a && b) {
      const ratio =
        b.cpuSeconds / Number(b.detail.orders) / (a.cpuSeconds / Number(a.detail.orders));
      rows.push([
        'work per order independent of queue length',
        `1M / 10k entries: ${ratio.toFixed(2)}× cpu per order, ${b.entriesTouched?.toFixed(2)} vs ${a.entriesTouched?.toFixed(2)} entries`,
        verdict(ratio < 1.5),
      ]);
    }
  }
  table(rows, log);
  for (const n of r.notes) log(`  note: ${n}`);
}
