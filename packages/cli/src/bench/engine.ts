import {
  applyEntryUpdate,
  applyLedgerOps,
  candidates,
  createLedger,
  createQueueBook,
  joinQueue,
  planQueueContribution,
  simulate,
  type BookEntry,
  type EntryUpdateOp,
} from '@fanli/engine';

/**
 * Engine throughput without HTTP or a database: queue settlement against a queue of a
 * given length, and the simulator on a generated scenario. Each case runs in its own
 * process (engine-main.ts) so its peak RSS is its own.
 */
export interface EngineResult {
  case: string;
  seconds: number;
  /** CPU time of the measured part: the machine is shared, wall time varies with others' load */
  cpuSeconds: number;
  perSec: number;
  perCpuSec: number;
  /** microseconds of settlement work per order (join + contribution + ledger) */
  usPerOrder?: number;
  entriesTouched?: number;
  peakRssMb: number;
  heapUsedMb: number;
  detail: Record<string, number | string | boolean>;
}

const cpuSince = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};

const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;

function peak() {
  // resourceUsage().maxRSS is in kilobytes
  return {
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
    heapUsedMb: mb(process.memoryUsage().heapUsed),
  };
}

/**
 * A queue pre-filled with `queueLength` waiting entries; then `orders` orders each join
 * the back of the queue (entitlement 130 % of the price) and contribute 65 % of their
 * price to the entries ahead of them, with the plan's ledger ops and entry updates applied
 * — the same steady state a busy product queue is in.
 */
export function settleBench(
  queueLength: number,
  orders: number,
  withLedger: boolean,
): EngineResult {
  const book = createQueueBook('product:1');
  const ledger = createLedger();
  const priceFen = (i: number) => 1000 + ((i * 37) % 49000);
  let seq = 0;
  for (let i = 0; i < queueLength; i++) {
    seq++;
    joinQueue(book, {
      orderId: `p${i}`,
      userId: `u${i % 100000}`,
      seq,
      entitlementFen: Math.floor((priceFen(i) * 13) / 10),
    });
  }
  const byKey = new Map<string, BookEntry>();
  const entryOf = (key: string) => {
    let e = byKey.get(key);
    if (!e) {
      // keys are `${queueId}#${idx}`
      e = book.entries[Number(key.slice(key.lastIndexOf('#') + 1))]!;
      byKey.set(key, e);
    }
    return e;
  };
  const built = peak();
  let touched = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let o = 0; o < orders; o++) {
    const price = priceFen(queueLength + o);
    seq++;
    const { plan } = planQueueContribution({
      queueId: book.id,
      contributionId: `o${o}`,
      contributorOrderId: `o${o}`,
      amountFen: Math.floor((price * 65) / 100),
      paused: false,
      candidates: candidates(book, 'fifo', seq),
    });
    if (withLedger) {
      const r = applyLedgerOps(ledger, plan.ops, 0);
      if (!r.ok) throw new Error(`ledger: ${JSON.stringify(r.error)}`);
    }
    for (const op of plan.ops) {
      if (op.op === 'entry.update') {
        applyEntryUpdate(book, entryOf(op.entryKey), op as EntryUpdateOp);
        touched++;
      }
    }
    joinQueue(book, {
      orderId: `o${o}`,
      userId: `u${o % 100000}`,
      seq,
      entitlementFen: Math.floor((price * 13) / 10),
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(c0);
  const p = peak();
  return {
    case: `settle ${orders.toLocaleString('en-US')} orders, queue ${queueLength.toLocaleString('en-US')}${withLedger ? ' + in-memory ledger' : ''}`,
    seconds,
    cpuSeconds,
    perSec: orders / seconds,
    perCpuSec: orders / cpuSeconds,
    usPerOrder: (seconds * 1e6) / orders,
    entriesTouched: touched / orders,
    ...p,
    detail: {
      queueLength,
      orders,
      buildHeapMb: built.heapUsedMb,
      ledger: withLedger,
      transfers: ledger.transfers.length,
    },
  };
}

/**
 * A generated scenario of `events` events: registrations in referral chains, orders on
 * 200 products, their payments and most completions, ticks each simulated day; every
 * rule on (commission depth 2, cashback, referral, product queues).
 */
export function scenarioOf(events: number) {
  const users = Math.max(10, Math.floor(events / 10));
  const out: Record<string, unknown>[] = [];
  const day0 = Date.parse('2026-01-01T00:00:00+08:00');
  let t = day0;
  const at = () => new Date((t += 1000)).toISOString();
  for (let i = 0; i < users; i++)
    out.push({
      at: at(),
      type: 'register',
      user: `u${i}`,
      referrer: i > 3 ? `u${Math.floor(i / 3)}` : null,
    });
  let o = 0;
  while (out.length < events) {
    const id = `o${o}`;
    out.push({
      at: at(),
      type: 'order',
      order: id,
      user: `u${(o * 7919) % users}`,
      lines: [{ product: `P${o % 200}`, qty: 1 }],
    });
    out.push({ at: at(), type: 'pay', order: id });
    if (o % 10 !== 0) out.push({ at: at(), type: 'complete', order: id });
    if (o % 5000 === 4999) out.push({ at: at(), type: 'tick' });
    o++;
  }
  return {
    timezone: 'Asia/Shanghai',
    seed: 7,
    settings: {
      commission: { enabled: true, depth: 2, level1Pct: 10, level2Pct: 5 },
      cashback: { enabled: true, form: 'points', pct: 5 },
      queueRebate: { enabled: true, queue: 'product', settleOn: 'paid' },
    },
    products: Array.from({ length: 200 }, (_, i) => ({
      id: `P${i}`,
      priceFen: 1000 + ((i * 37) % 49000),
      costFen: 500,
    })),
    events: out.slice(0, events),
  };
}

export function simulateBench(events: number): EngineResult {
  const input = scenarioOf(events);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const outcome = simulate(input);
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(c0);
  if (!outcome.ok)
    throw new Error(`scenario refused: ${JSON.stringify(outcome.errors.slice(0, 3))}`);
  return {
    case: `simulate ${events.toLocaleString('en-US')} events`,
    seconds,
    cpuSeconds,
    perSec: events / seconds,
    perCpuSec: events / cpuSeconds,
    ...peak(),
    detail: {
      events,
      users: Object.keys(outcome.result.users).length,
      transfers: outcome.result.ledger.transfers,
      balanced: outcome.result.ledger.balanced,
    },
  };
}
