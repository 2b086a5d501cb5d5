import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { SANDBOX_HEADER, signSandboxBody } from '@fanli/server/payments/sandbox/signature.ts';
import { summarize, type LatencySummary } from './stats.ts';

/**
 * The load driver: N virtual shoppers, each on its own keep-alive connection, each
 * sending its next request as soon as the previous answer arrived (closed loop; optional
 * think time). Runs in its own process (load-main.ts) so the server's CPU is not ours.
 */
export type Scenario = 'mix' | 'list' | 'checkout';

export interface LoadConfig {
  baseUrl: string;
  scenario: Scenario;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** pause between a virtual shopper's actions (0: closed loop at full speed) */
  thinkMs: number;
  sandboxSecret: string;
  sessions: { token: string; userId: number; addressId: number }[];
  hotSkuIds: number[];
  productIds: { first: number; last: number };
  /** list pages asked for (1..listPages, a fifth of them with a category); default 50 */
  listPages?: number;
}

export interface LoadResult {
  scenario: Scenario;
  listPages: number;
  connections: number;
  thinkMs: number;
  seconds: number;
  requests: number;
  rps: number;
  latency: LatencySummary;
  errors: number;
  errorKinds: Record<string, number>;
  ordersSettled: number;
  ordersPerSec: number;
  /** place + pay + notification, end to end */
  checkoutFlow: LatencySummary | null;
  /** n and rps: requests finished in the window; latency: every request overlapping it */
  byKind: Record<string, { n: number; rps: number; latency: LatencySummary }>;
  /** the load driver's own CPU per request sent (it shares the machine with the server) */
  driverCpuMsPerReq: number;
}

interface Answer {
  status: number;
  body: string;
}

/**
 * Latencies of every request that overlaps the measured window (started before its end,
 * finished after its start), so a request that waited through the warm-up is counted
 * with its whole wait: no survivor bias at high concurrency. Throughput counts the
 * requests that finished inside the window.
 */
class Recorder {
  readonly lat = new Map<string, number[]>();
  readonly done = new Map<string, number>();
  readonly errs = new Map<string, number>();
  flows: number[] = [];
  settled = 0;
  constructor(
    readonly recordFrom: number,
    readonly recordUntil: number,
  ) {}
  overlaps(start: number, end: number) {
    return end >= this.recordFrom && start < this.recordUntil;
  }
  finishedInside(end: number) {
    return end >= this.recordFrom && end < this.recordUntil;
  }
  add(kind: string, start: number, end: number) {
    if (this.finishedInside(end)) this.done.set(kind, (this.done.get(kind) ?? 0) + 1);
    if (!this.overlaps(start, end)) return;
    let a = this.lat.get(kind);
    if (!a) this.lat.set(kind, (a = []));
    a.push(end - start);
  }
  error(kind: string, what: string, start: number, end: number) {
    if (!this.overlaps(start, end)) return;
    const k = `${kind}: ${what}`;
    this.errs.set(k, (this.errs.get(k) ?? 0) + 1);
  }
  flow(start: number, end: number) {
    if (this.finishedInside(end)) this.settled++;
    if (this.overlaps(start, end)) this.flows.push(end - start);
  }
}

/** `list p1`: the first page of each category (what most shoppers see); `list p1-50`: spread over 50 pages */
export const scenarioLabel = (r: Pick<LoadResult, 'scenario' | 'listPages'>) =>
  r.scenario === 'list' ? (r.listPages === 1 ? 'list p1' : `list p1-${r.listPages}`) : r.scenario;

const rand = (n: number) => Math.floor(Math.random() * n);

export async function runLoad(cfg: LoadConfig): Promise<LoadResult> {
  const url = new URL(cfg.baseUrl);
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: cfg.connections,
    maxFreeSockets: cfg.connections,
  });
  const start = performance.now();
  const rec = new Recorder(start + cfg.warmupMs, start + cfg.warmupMs + cfg.durationMs);
  const stopAt = rec.recordUntil;

  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          headers:
            body === undefined
              ? headers
              : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error('timeout 60 s')));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });

  /** One timed request; returns the answer when its status is the expected one, else null. */
  async function call(
    kind: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    ok: number,
  ): Promise<Answer | null> {
    const t = performance.now();
    try {
      const a = await send(method, path, headers, body);
      const end = performance.now();
      rec.add(kind, t, end);
      if (a.status !== ok) {
        let code = '';
        try {
          code = (JSON.parse(a.body) as { code?: string }).code ?? '';
        } catch {
          /* not JSON */
        }
        rec.error(kind, `${a.status} ${code}`.trim(), t, end);
        return null;
      }
      return a;
    } catch (e) {
      const end = performance.now();
      rec.add(kind, t, end);
      rec.error(kind, (e as Error).message.slice(0, 60), t, end);
      return null;
    }
  }

  const productCount = cfg.productIds.last - cfg.productIds.first + 1;
  const listPage = () => {
    const page = 1 + rand(cfg.listPages ?? 50);
    const cat = Math.random() < 0.2 ? `&categoryId=${1 + rand(20)}` : '';
    return call(
      'list',
      'GET',
      `/api/v1/products?page=${page}&pageSize=20${cat}`,
      {},
      undefined,
      200,
    );
  };
  const detail = () =>
    call(
      'detail',
      'GET',
      `/api/v1/products/${cfg.productIds.first + rand(productCount)}`,
      {},
      undefined,
      200,
    );

  async function checkout(s: LoadConfig['sessions'][number], auth: Record<string, string>) {
    const t = performance.now();
    const json = { ...auth, 'content-type': 'application/json' };
    const skuId = cfg.hotSkuIds[rand(cfg.hotSkuIds.length)]!;
    const placed = await call(
      'order.place',
      'POST',
      '/api/v1/orders',
      { ...json, 'idempotency-key': `bench-${randomBytes(12).toString('hex')}` },
      JSON.stringify({ items: [{ skuId, qty: 1 }], addressId: s.addressId }),
      201,
    );
    if (!placed) return;
    const orderId = (JSON.parse(placed.body) as { id: number }).id;
    const paid = await call(
      'order.pay',
      'POST',
      `/api/v1/orders/${orderId}/pay`,
      json,
      JSON.stringify({ provider: 'sandbox' }),
      200,
    );
    if (!paid) return;
    const p = JSON.parse(paid.body) as { outTradeNo: string; amountFen: number };
    // what the sandbox gateway would send, signed with the shared secret
    const rawBody = JSON.stringify({
      id: `SBN${randomBytes(10).toString('hex')}`,
      type: 'payment.succeeded',
      out_trade_no: p.outTradeNo,
      trade_no: `SBXBENCH${p.outTradeNo}`.slice(0, 32),
      amount_fen: p.amountFen,
      paid_at: new Date().toISOString(),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    const headers = {
      'content-type': 'application/json',
      [SANDBOX_HEADER.timestamp]: timestamp,
      [SANDBOX_HEADER.nonce]: nonce,
      [SANDBOX_HEADER.signature]: signSandboxBody(cfg.sandboxSecret, timestamp, nonce, rawBody),
    };
    const ack = await call(
      'order.notify',
      'POST',
      '/api/v1/payments/sandbox/notify',
      headers,
      rawBody,
      204,
    );
    if (!ack) return;
    rec.flow(t, performance.now());
  }

  async function action(s: LoadConfig['sessions'][number], auth: Record<string, string>) {
    if (cfg.scenario === 'list') return void (await listPage());
    if (cfg.scenario === 'checkout') return checkout(s, auth);
    const r = Math.random() * 100;
    if (r < 35) await listPage();
    else if (r < 70) await detail();
    else if (r < 75)
      await call(
        'cart.add',
        'POST',
        '/api/v1/cart/items',
        { ...auth, 'content-type': 'application/json' },
        JSON.stringify({ skuId: cfg.hotSkuIds[rand(cfg.hotSkuIds.length)], qty: 1 }),
        200,
      );
    else if (r < 80) await call('cart.view', 'GET', '/api/v1/cart', auth, undefined, 200);
    else if (r < 95) await checkout(s, auth);
    else if (r < 97) await call('wallet', 'GET', '/api/v1/wallet', auth, undefined, 200);
    else if (r < 99) await call('queue', 'GET', '/api/v1/queue/entries', auth, undefined, 200);
    else await call('rewards', 'GET', '/api/v1/rewards', auth, undefined, 200);
  }

  async function shopper(i: number) {
    const s = cfg.sessions[i % cfg.sessions.length]!;
    const auth = { authorization: `Bearer ${s.token}` };
    // spread the first requests over 200 ms so 1000 connections do not open in one burst
    await new Promise((r) => setTimeout(r, rand(200)));
    while (performance.now() < stopAt) {
      await action(s, auth);
      if (cfg.thinkMs > 0)
        await new Promise((r) => setTimeout(r, cfg.thinkMs * (0.5 + Math.random())));
    }
  }

  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: cfg.connections }, (_, i) => shopper(i)));
  agent.destroy();
  const cpu = process.cpuUsage(cpu0);

  const seconds = cfg.durationMs / 1000;
  const all: number[] = [];
  const byKind: LoadResult['byKind'] = {};
  let finished = 0;
  for (const [kind, a] of rec.lat) {
    for (const v of a) all.push(v);
    const n = rec.done.get(kind) ?? 0;
    finished += n;
    byKind[kind] = { n, rps: n / seconds, latency: summarize(a) };
  }
  const errorKinds = Object.fromEntries(rec.errs);
  const errors = [...rec.errs.values()].reduce((s, v) => s + v, 0);
  return {
    scenario: cfg.scenario,
    listPages: cfg.listPages ?? 50,
    connections: cfg.connections,
    thinkMs: cfg.thinkMs,
    seconds,
    requests: finished,
    rps: finished / seconds,
    latency: summarize(all),
    errors,
    errorKinds,
    ordersSettled: rec.settled,
    ordersPerSec: rec.settled / seconds,
    checkoutFlow: rec.flows.length ? summarize(rec.flows) : null,
    byKind,
    driverCpuMsPerReq:
      (cpu.user + cpu.system) /
      1000 /
      Math.max(1, finished * ((cfg.warmupMs + cfg.durationMs) / cfg.durationMs)),
  };
}
