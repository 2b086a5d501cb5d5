import type { Db } from '../db/database.ts';
import { inTx } from '../db/tx.ts';
import { hashPassword } from '../auth/passwords.ts';
import { insertUniqueUser } from '../auth/service.ts';
import type { Role } from '../db/schema.ts';

export interface DemoLogin {
  role: Role;
  phone: string;
  password: string;
  nickname: string;
  where: string;
}

/** The demo accounts. Passwords are public on purpose: this is the demo shop. */
export const DEMO_LOGINS: DemoLogin[] = [
  {
    role: 'admin',
    phone: '13800000001',
    password: 'admin12345',
    nickname: '店长 Admin',
    where: '/admin',
  },
  {
    role: 'staff',
    phone: '13800000002',
    password: 'staff12345',
    nickname: '运营 Staff',
    where: '/admin',
  },
  {
    role: 'cashier',
    phone: '13800000003',
    password: 'cashier12345',
    nickname: '收银员 Cashier',
    where: '/cashier',
  },
  { role: 'shopper', phone: '13900000001', password: 'shopper12345', nickname: '小明', where: '/' },
  { role: 'shopper', phone: '13900000002', password: 'shopper12345', nickname: '小红', where: '/' },
];

const CATEGORIES = ['生鲜水果 Fresh', '食品饮料 Food', '美妆个护 Beauty', '家居日用 Home'];

/** [title, subtitle, category index, [spec, priceFen, costFen, stock][]] */
const PRODUCTS: [string, string, number, [string, number, number, number][]][] = [
  [
    '赣南脐橙 5kg',
    '当季现摘，果香浓郁',
    0,
    [
      ['5kg', 6800, 4200, 200],
      ['10kg', 12800, 8000, 100],
    ],
  ],
  ['阳光玫瑰葡萄', '脆甜无籽，2 串装', 0, [['2 串', 5990, 3800, 150]]],
  ['有机牛奶 12 盒', '250ml × 12，草原牧场', 1, [['12 盒', 6900, 4800, 300]]],
  ['坚果礼盒', '每日坚果 30 袋', 1, [['30 袋', 16800, 12000, 120]]],
  [
    '精华液 30ml',
    '保湿修护',
    2,
    [
      ['30ml', 26800, 15000, 80],
      ['50ml', 39800, 23000, 40],
    ],
  ],
  ['氨基酸洗面奶', '温和清洁 120g', 2, [['120g', 8900, 5000, 200]]],
  [
    '乳胶枕',
    '泰国天然乳胶',
    3,
    [
      ['标准款', 19900, 12000, 60],
      ['加高款', 22900, 14000, 40],
    ],
  ],
  ['不锈钢保温杯', '500ml 24 小时保温', 3, [['500ml', 9900, 5500, 300]]],
  ['抽纸 24 包', '原生木浆', 3, [['24 包', 4990, 3300, 500]]],
  ['蓝莓 4 盒', '125g × 4，智利进口', 0, [['4 盒', 7990, 5200, 90]]],
];

function svgImage(title: string, hue: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect width="400" height="400" fill="hsl(${hue},70%,88%)"/><text x="200" y="210" font-size="36" text-anchor="middle" fill="hsl(${hue},60%,30%)" font-family="sans-serif">${title.replace(/[<>&]/g, '')}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * Loads the demo shop once: accounts of every role, a store, categories and products.
 * Safe to run again: it does nothing if the demo admin exists.
 */
export async function seedDemo(db: Db): Promise<{ created: boolean; logins: DemoLogin[] }> {
  const exists = await db
    .selectFrom('users')
    .select('id')
    .where('phone', '=', DEMO_LOGINS[0]!.phone)
    .executeTakeFirst();
  if (exists) return { created: false, logins: DEMO_LOGINS };
  const hashes = await Promise.all(DEMO_LOGINS.map((l) => hashPassword(l.password)));
  await inTx(db, async (tx) => {
    const store = await tx
      .insertInto('stores')
      .values({ name: '返利旗舰店 Flagship', address: '上海市黄浦区南京东路 1 号' })
      .returning('id')
      .executeTakeFirstOrThrow();
    let firstShopper: number | null = null;
    for (const [i, login] of DEMO_LOGINS.entries()) {
      const u = await insertUniqueUser(tx, {
        phone: login.phone,
        password_hash: hashes[i]!,
        role: login.role,
        nickname: login.nickname,
        // the second demo shopper was referred by the first
        referrer_id: login.role === 'shopper' ? firstShopper : null,
        referred_at: login.role === 'shopper' && firstShopper ? new Date() : null,
        store_id: login.role === 'cashier' ? store.id : null,
        privacy_version: login.role === 'shopper' ? '2026-01' : null,
        privacy_consented_at: login.role === 'shopper' ? new Date() : null,
      });
      if (!u) throw new Error(`demo phone ${login.phone} is taken`);
      if (login.role === 'shopper' && firstShopper === null) firstShopper = u.id;
    }
    const categoryIds: number[] = [];
    for (const [i, name] of CATEGORIES.entries()) {
      const c = await tx
        .insertInto('categories')
        .values({ name, sort: i, parent_id: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      categoryIds.push(c.id);
    }
    for (const [i, [title, subtitle, cat, skus]] of PRODUCTS.entries()) {
      const p = await tx
        .insertInto('products')
        .values({
          title,
          subtitle,
          category_id: categoryIds[cat]!,
          store_id: null,
          description_html: `<p>${subtitle}</p><p>演示商品：下单后可在“我的”中查看返利进度。</p>`,
          images: JSON.stringify([svgImage(title.split(' ')[0]!, (i * 37) % 360)]),
          supplier: null,
          price_fen: Math.min(...skus.map((s) => s[1])),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [spec, price, cost, stock] of skus) {
        await tx
          .insertInto('skus')
          .values({
            product_id: p.id,
            spec: JSON.stringify({ 规格: spec }),
            price_fen: price,
            cost_fen: cost,
            stock,
          })
          .execute();
      }
    }
  });
  return { created: true, logins: DEMO_LOGINS };
}
