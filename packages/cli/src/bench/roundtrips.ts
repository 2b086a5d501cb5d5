import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import type { InjectOptions } from 'fastify';
import { startServer } from '@fanli/server';
import { SANDBOX_HEADER, signSandboxBody } from '@fanli/server/payments/sandbox/signature.ts';
import type { Seeded } from './seed.ts';

/**
 * Database round trips per request: the app is built in this process on the bench
 * database, pg's Client.query is counted, and one request of each kind goes through
 * app.inject. Under load every round trip waits for a pooled connection (and, inside
 * the payment transaction, holds its row locks a little longer), so this count explains
 * most of the latency and throughput figures.
 */
export async function countRoundTrips(
  databaseUrl: string,
  seeded: Seeded,
  secret: string,
): Promise<Record<string, number>> {
  let count = 0;
  // FANLI_BENCH_TRACE=<file>: also write each request's statements there (to find which to cut)
  const traceFile = process.env.FANLI_BENCH_TRACE;
  const trace: string[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...a: unknown[]) {
    count++;
    if (traceFile) {
      const q = a[0] as string | { text?: string };
      trace.push(
        `  ${(typeof q === 'string' ? q : (q.text ?? '')).replace(/\s+/g, ' ').slice(0, 300)}`,
      );
    }
    return original.apply(this, a);
  };
  const running = await startServer(
    { databaseUrl, sandboxSecret: secret, jobsEnabled: false, port: 0 },
    { listen: false, logger: false },
  );
  const out: Record<string, number> = {};
  try {
    const s = seeded.sessions[0]!;
    const auth = { authorization: `Bearer ${s.token}` };
    const inject = async (name: string, req: InjectOptions, expect: number) => {
      const before = count;
      trace.push(`# ${name}`);
      const res = await running.app.inject(req);
      if (res.statusCode !== expect)
        throw new Error(`${name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      out[name] = count - before;
      return res;
    };
    const sku = seeded.hotSkuIds[0]!;
    await inject(
      'list (uncached)',
      { method: 'GET', url: '/api/v1/products?page=3&pageSize=20' },
      200,
    );
    await inject(
      'list (cached)',
      { method: 'GET', url: '/api/v1/products?page=3&pageSize=20' },
      200,
    );
    await inject(
      'detail',
      { method: 'GET', url: `/api/v1/products/${seeded.productIds.first + 5}` },
      200,
    );
    await inject(
      'cart.add',
      { method: 'POST', url: '/api/v1/cart/items', headers: auth, payload: { skuId: sku, qty: 1 } },
      200,
    );
    await inject('cart.view', { method: 'GET', url: '/api/v1/cart', headers: auth }, 200);
    // twice: the first order of a process also creates and caches ledger accounts; the
    // second is what every later order costs
    const orderFlow = async () => {
      const placed = await inject(
        'order.place',
        {
          method: 'POST',
          url: '/api/v1/orders',
          headers: { ...auth, 'idempotency-key': `rt-${randomBytes(8).toString('hex')}` },
          payload: { items: [{ skuId: sku, qty: 1 }], addressId: s.addressId },
        },
        201,
      );
      const orderId = (placed.json() as { id: number }).id;
      const paid = await inject(
        'order.pay',
        {
          method: 'POST',
          url: `/api/v1/orders/${orderId}/pay`,
          headers: auth,
          payload: { provider: 'sandbox' },
        },
        200,
      );
      const p = paid.json() as { outTradeNo: string; amountFen: number };
      const rawBody = JSON.stringify({
        id: `SBN${randomBytes(10).toString('hex')}`,
        type: 'payment.succeeded',
        out_trade_no: p.outTradeNo,
        trade_no: `SBXRT${p.outTradeNo}`.slice(0, 32),
        amount_fen: p.amountFen,
        paid_at: new Date().toISOString(),
      });
      const ts = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(16).toString('hex');
      await inject(
        'order.notify (all rules)',
        {
          method: 'POST',
          url: '/api/v1/payments/sandbox/notify',
          headers: {
            'content-type': 'application/json',
            [SANDBOX_HEADER.timestamp]: ts,
            [SANDBOX_HEADER.nonce]: nonce,
            [SANDBOX_HEADER.signature]: signSandboxBody(secret, ts, nonce, rawBody),
          },
          payload: rawBody,
        },
        204,
      );
    };
    await orderFlow();
    await orderFlow();
    await inject('wallet', { method: 'GET', url: '/api/v1/wallet', headers: auth }, 200);
    const q = await inject(
      'queue',
      { method: 'GET', url: '/api/v1/queue/entries', headers: auth },
      200,
    );
    out['queue (entries listed)'] = (q.json() as { items: unknown[] }).items.length;
    await inject('rewards', { method: 'GET', url: '/api/v1/rewards', headers: auth }, 200);
  } finally {
    if (traceFile) writeFileSync(traceFile, trace.join('\n') + '\n');
    proto.query = original;
    await running.close();
  }
  return out;
}
