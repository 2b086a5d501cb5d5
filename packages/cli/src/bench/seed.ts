import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { validateSettings } from '@fanli/engine';
import type { Db } from '@fanli/server';

/**
 * Loads the benchmark shop straight into a migrated database with set-based SQL
 * (generate_series), not through HTTP: a PostgreSQL database takes seconds, PGlite a
 * little longer. Ids are explicit (max(id) + n) so the rows can point at each other
 * without reading anything back; sequences are moved past them at the end.
 */
export interface ShopSize {
  products: number;
  users: number;
  /** waiting queue entries (each with its own paid order) spread over `hotProducts` queues */
  queueEntries: number;
  /** products with a queue of waiting entries; the load's orders buy these */
  hotProducts: number;
  /** users given a bearer session and an address, for the load driver */
  sessions: number;
}

export interface Seeded {
  /** bearer token, its user and the user's address */
  sessions: { token: string; userId: number; addressId: number }[];
  /** SKU ids of the hot products (orders), and all product ids range (browse) */
  hotSkuIds: number[];
  productIds: { first: number; last: number };
  skuIds: { first: number; last: number };
  counts: Record<string, number>;
}

const exec = (db: Db, text: string) => sql.raw(text).execute(db);

async function one(db: Db, text: string): Promise<number> {
  const r = await sql.raw<{ n: string | number | null }>(text).execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * The rules the benchmark runs with, as a merchant would publish them (the stored
 * document is the merchant's, not the validated form): referral, 2-level commission,
 * cashback and queue rebate.
 */
export function benchSettings(): Record<string, unknown> {
  const doc = {
    referral: { enabled: true, everyN: 3, repeat: true, reward: { form: 'cash', fixedFen: 500 } },
    commission: { enabled: true, depth: 2, level1Pct: 10, level2Pct: 5 },
    cashback: { enabled: true, form: 'points', pointsPerYuan: 0.05, pct: 5 },
    queueRebate: { enabled: true, queue: 'product', settleOn: 'paid', order: 'fifo' },
  };
  const v = validateSettings(doc);
  if (!v.ok) throw new Error(`bench settings invalid: ${JSON.stringify(v.errors)}`);
  return doc;
}

export async function seedShop(db: Db, size: ShopSize, log: (s: string) => void): Promise<Seeded> {
  const t0 = Date.now();
  const step = (what: string) =>
    log(`  seed: ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // --- catalog: 20 categories, products with 2 SKUs each, 3 image URLs, big stock
  const cat0 = await one(db, 'select coalesce(max(id), 0) as n from categories');
  await exec(
    db,
    `insert into categories (id, parent_id, name, sort)
     select ${cat0} + i, null, '分类 ' || i, i from generate_series(1, 20) i`,
  );
  const p0 = await one(db, 'select coalesce(max(id), 0) as n from products');
  await exec(
    db,
    `insert into products (id, category_id, store_id, title, subtitle, description_html, images, on_shelf, price_fen, sales)
     select ${p0} + i, ${cat0} + 1 + (i % 20), null,
            '商品 ' || i || ' 高品质好物', '限时返利 ' || (i % 97),
            '<p>商品 ' || i || ' 的详细说明，规格齐全，支持七天无理由退货。</p>',
            jsonb_build_array('/uploads/' || md5('a' || i) || '.jpg', '/uploads/' || md5('b' || i) || '.jpg',
                              '/uploads/' || md5('c' || i) || '.jpg'),
            true, 1000 + (i * 37) % 49000, (i * 13) % 500
     from generate_series(1, ${size.products}) i`,
  );
  const s0 = await one(db, 'select coalesce(max(id), 0) as n from skus');
  await exec(
    db,
    `insert into skus (id, product_id, spec, price_fen, cost_fen, stock)
     select ${s0} + (i - 1) * 2 + k, ${p0} + i, jsonb_build_object('size', case k when 1 then 'M' else 'L' end),
            1000 + (i * 37) % 49000 + (k - 1) * 500, (1000 + (i * 37) % 49000) / 2, 10000000
     from generate_series(1, ${size.products}) i, generate_series(1, 2) k`,
  );
  step(`${size.products} products, ${size.products * 2} SKUs`);

  // --- users: a referral forest (user i was referred by user i/3), so most buyers have two levels
  const u0 = await one(db, 'select coalesce(max(id), 0) as n from users');
  await exec(
    db,
    `insert into users (id, phone, role, nickname, status, referral_code, referrer_id, referred_at, created_at)
     select ${u0} + i, '139' || lpad(i::text, 8, '0'), 'shopper', '用户' || i, 'active', 'BENCH' || i,
            case when i > 3 then ${u0} + i / 3 end, case when i > 3 then now() - interval '30 days' end,
            now() - interval '60 days'
     from generate_series(1, ${size.users}) i`,
  );
  step(`${size.users} users with referral chains`);

  // --- past paid orders, one line each, whose entries wait in the hot products' queues
  const o0 = await one(db, 'select coalesce(max(id), 0) as n from orders');
  const n = size.queueEntries;
  const hot = size.hotProducts;
  // price of product j (1-based) and its first SKU
  const price = (j: string) => `(1000 + ((${j}) * 37) % 49000)`;
  await exec(
    db,
    `insert into orders (id, order_no, user_id, state, items_fen, payable_fen, address, created_at, pay_deadline, paid_at, payment_provider)
     select ${o0} + i, 'BENCH' || lpad(i::text, 9, '0'), ${u0} + 1 + (i * 7919) % ${size.users}, 'paid',
            ${price(`1 + i % ${hot}`)}, ${price(`1 + i % ${hot}`)},
            '{"name":"张三","phone":"13800000000","province":"广东","city":"深圳","district":"南山","detail":"1 号"}',
            now() - interval '2 days', now() - interval '2 days' + interval '30 minutes',
            now() - interval '2 days' + interval '1 minute', 'sandbox'
     from generate_series(1, ${n}) i`,
  );
  await exec(
    db,
    `insert into order_lines (order_id, product_id, sku_id, title, spec, image, unit_price_fen, qty, subtotal_fen,
                              member_discount_fen, coupon_fen, points_fen, points, balance_fen, paid_fen)
     select ${o0} + i, ${p0} + 1 + i % ${hot}, ${s0} + (i % ${hot}) * 2 + 1, '商品', '{"size":"M"}', null,
            ${price(`1 + i % ${hot}`)}, 1, ${price(`1 + i % ${hot}`)}, 0, 0, 0, 0, 0, ${price(`1 + i % ${hot}`)}
     from generate_series(1, ${n}) i`,
  );
  await exec(
    db,
    `insert into order_rule_state (order_id, pay_seq) select ${o0} + i, i from generate_series(1, ${n}) i`,
  );
  await exec(
    db,
    `insert into queue_entries (queue_id, seq, order_id, user_id, entitlement_fen, status, day_key, units, created_at)
     select 'product:' || (${p0} + 1 + i % ${hot}), i, ${o0} + i, ${u0} + 1 + (i * 7919) % ${size.users},
            ${price(`1 + i % ${hot}`)} * 13 / 10, 'waiting', '2026-01-01',
            jsonb_build_array(jsonb_build_object('paidFen', ${price(`1 + i % ${hot}`)}, 'basePctH', 13000, 'lotteryApplies', false)),
            now() - interval '2 days'
     from generate_series(1, ${n}) i`,
  );
  await exec(db, `select setval('queue_pay_seq', ${n} + 1)`);
  step(`${n} paid orders with waiting entries in ${hot} queues`);

  // --- the rules in force
  await sql`insert into rule_versions (settings, effective_at, note, created_at)
            values (${JSON.stringify(benchSettings())}, now() - interval '90 days', 'bench', now())`.execute(
    db,
  );

  // --- sessions (bearer tokens, stored as SHA-256 like the server does) and addresses.
  // Buyers are users deep in the forest (i > 100) so commission reaches two levels.
  const sessions: Seeded['sessions'] = [];
  const rows: string[] = [];
  const a0 = await one(db, 'select coalesce(max(id), 0) as n from addresses');
  for (let k = 0; k < size.sessions; k++) {
    const token = randomBytes(32).toString('base64url');
    const userId = u0 + 101 + ((k * 48271) % (size.users - 101));
    sessions.push({ token, userId, addressId: a0 + k + 1 });
    const hash = createHash('sha256').update(token).digest('hex');
    rows.push(`(${a0 + k + 1}, ${userId}, '${hash}', '${randomBytes(16).toString('hex')}')`);
  }
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000).join(',');
    await exec(
      db,
      `insert into sessions (token_hash, csrf_token, user_id, created_at, expires_at, user_agent)
       select h, c, u, now(), now() + interval '30 days', 'fanli-bench'
       from (values ${chunk}) v(a, u, h, c)`,
    );
    await exec(
      db,
      `insert into addresses (id, user_id, name, phone, province, city, district, detail, is_default, created_at)
       select a, u, '张三', '13800000000', '广东', '深圳', '南山', '科技园 1 号', true, now()
       from (values ${chunk}) v(a, u, h, c)`,
    );
  }
  step(`${size.sessions} sessions and addresses`);

  for (const [table, col] of [
    ['categories', 'id'],
    ['products', 'id'],
    ['skus', 'id'],
    ['users', 'id'],
    ['orders', 'id'],
    ['addresses', 'id'],
  ] as const) {
    await exec(
      db,
      `select setval(pg_get_serial_sequence('${table}', '${col}'), (select max(${col}) from ${table}))`,
    );
  }
  await exec(db, 'analyze');
  step('analyze');

  const hotSkuIds = Array.from({ length: hot }, (_, j) => s0 + j * 2 + 1);
  const counts: Record<string, number> = {};
  for (const t of ['products', 'skus', 'users', 'orders', 'queue_entries', 'sessions']) {
    counts[t] = await one(db, `select count(*) as n from ${t}`);
  }
  return {
    sessions,
    hotSkuIds,
    productIds: { first: p0 + 1, last: p0 + size.products },
    skuIds: { first: s0 + 1, last: s0 + size.products * 2 },
    counts,
  };
}
