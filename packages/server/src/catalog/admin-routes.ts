import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam } from '../http/schemas.ts';
import { currentUser, STAFF } from '../http/access.ts';
import { AppError, unwrap } from '../errors/index.ts';
import { inTxResult } from '../db/tx.ts';
import type { Actor } from '../audit/audit.ts';
import {
  createCategory,
  deleteCategory,
  listCategoriesAdmin,
  updateCategory,
} from './categories.ts';
import { catalogDb } from './db.ts';
import {
  createProduct,
  listProductsAdmin,
  loadAdminProduct,
  removeProduct,
  setShelf,
  updateProduct,
} from './products.ts';
import { addSku, adjustSkuStock, removeSku, updateSku } from './skus.ts';
import {
  AdminProductQuery,
  CategoryCreate,
  CategoryPatch,
  ProductCreate,
  ProductPatch,
  ShelfBulk,
  SkuCreate,
  SkuPatch,
  StockAdjust,
} from './schemas.ts';

/** Merchant staff manage the catalog; every write is one transaction with its audit row. */
const TAGS = ['catalog-admin'];

const actorOf = (req: FastifyRequest): Actor => {
  const u = currentUser(req);
  return { id: u.id, role: u.role, ip: req.ip };
};

export function catalogAdminRoutes(app: App, deps: AppDeps) {
  // ── categories ────────────────────────────────────────────────────────────────
  app.get(
    '/api/v1/admin/categories',
    {
      config: { access: STAFF },
      schema: { tags: TAGS, summary: 'All categories with their product counts, in display order' },
    },
    async () => listCategoriesAdmin(deps.db),
  );

  app.post(
    '/api/v1/admin/categories',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary: 'Create a category (optionally under a parent)',
        body: CategoryCreate,
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      const result = await inTxResult(deps.db, (tx) => createCategory(tx, actor, req.body, now));
      return reply.status(201).send(unwrap(result));
    },
  );

  app.patch(
    '/api/v1/admin/categories/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary: 'Rename, move (never under itself) or re-sort a category',
        params: IdParam,
        body: CategoryPatch,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      return unwrap(
        await inTxResult(deps.db, (tx) => updateCategory(tx, actor, req.params.id, req.body, now)),
      );
    },
  );

  app.delete(
    '/api/v1/admin/categories/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary: 'Delete an empty category (no subcategories, no products)',
        params: IdParam,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      return unwrap(
        await inTxResult(deps.db, (tx) => deleteCategory(tx, actor, req.params.id, now)),
      );
    },
  );

  // ── products ──────────────────────────────────────────────────────────────────
  app.get(
    '/api/v1/admin/products',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary: 'Products on and off shelf (removed ones excluded): search, filter, sort, paging',
        querystring: AdminProductQuery,
      },
    },
    async (req) => listProductsAdmin(deps.db, req.query),
  );

  app.get(
    '/api/v1/admin/products/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary: 'A product with every SKU, its supply price and profit',
        params: IdParam,
      },
    },
    async (req) => {
      const p = await loadAdminProduct(catalogDb(deps.db), req.params.id);
      if (!p) throw new AppError('NOT_FOUND');
      return p;
    },
  );

  app.post(
    '/api/v1/admin/products',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary:
          'Create a product with its SKUs (off shelf unless onShelf is true); the description is sanitized',
        body: ProductCreate,
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      const result = await inTxResult(deps.db, (tx) => createProduct(tx, actor, req.body, now));
      return reply.status(201).send(unwrap(result));
    },
  );

  app.patch(
    '/api/v1/admin/products/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary: "Edit a product's fields (SKUs have their own routes)",
        params: IdParam,
        body: ProductPatch,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      return unwrap(
        await inTxResult(deps.db, (tx) => updateProduct(tx, actor, req.params.id, req.body, now)),
      );
    },
  );

  app.delete(
    '/api/v1/admin/products/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary:
          'Remove a product for good (kept, off shelf and hidden, for the orders that name it)',
        params: IdParam,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      return unwrap(
        await inTxResult(deps.db, (tx) => removeProduct(tx, actor, req.params.id, now)),
      );
    },
  );

  app.post(
    '/api/v1/admin/products/shelf',
    {
      config: { access: STAFF },
      schema: { tags: TAGS, summary: 'Put many products on or off shelf at once', body: ShelfBulk },
    },
    async (req) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      return unwrap(
        await inTxResult(deps.db, (tx) => setShelf(tx, actor, req.body.ids, req.body.onShelf, now)),
      );
    },
  );

  // ── SKUs ──────────────────────────────────────────────────────────────────────
  app.post(
    '/api/v1/admin/products/:id/skus',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary: 'Add a SKU (spec, price, supply price, stock) to a product',
        params: IdParam,
        body: SkuCreate,
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      const result = await inTxResult(deps.db, (tx) =>
        addSku(tx, actor, req.params.id, req.body, now),
      );
      return reply.status(201).send(unwrap(result));
    },
  );

  app.patch(
    '/api/v1/admin/skus/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary: "Edit a SKU's spec, price or supply price (stock: see /stock)",
        params: IdParam,
        body: SkuPatch,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      return unwrap(
        await inTxResult(deps.db, (tx) => updateSku(tx, actor, req.params.id, req.body, now)),
      );
    },
  );

  app.delete(
    '/api/v1/admin/skus/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary: 'Remove a SKU from sale (a product keeps at least one)',
        params: IdParam,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      return unwrap(await inTxResult(deps.db, (tx) => removeSku(tx, actor, req.params.id, now)));
    },
  );

  app.post(
    '/api/v1/admin/skus/:id/stock',
    {
      config: { access: STAFF },
      schema: {
        tags: TAGS,
        summary: 'Adjust stock by a delta (入库 +, 出库/盘亏 −), atomically; never below zero',
        params: IdParam,
        body: StockAdjust,
        response: { 200: Type.Object({ id: Type.Integer(), stock: Type.Integer() }) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      return unwrap(
        await inTxResult(deps.db, (tx) =>
          adjustSkuStock(tx, actor, req.params.id, req.body.delta, req.body.reason, now),
        ),
      );
    },
  );
}
