import { sql } from 'kysely';
import type { Tx } from '../db/tx.ts';
import type { Db } from '../db/database.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { err, ok, type Result } from '../errors/index.ts';
import { catalogDb } from './db.ts';
import type { CategoryCreateBody, CategoryPatchBody } from './schemas.ts';

export interface CategoryView {
  id: number;
  parentId: number | null;
  name: string;
  sort: number;
  /** live products (on or off shelf) directly in this category */
  productCount: number;
}

/** Any constant: category moves take it so two concurrent moves cannot build a cycle. */
const CATEGORY_TREE_LOCK = 7_200_010;

const view = (
  c: { id: number; parent_id: number | null; name: string; sort: number },
  productCount = 0,
): CategoryView => ({
  id: c.id,
  parentId: c.parent_id,
  name: c.name,
  sort: c.sort,
  productCount,
});

/** Every category with its live product count, in display order (sort, then id). */
export async function listCategoriesAdmin(db: Db): Promise<CategoryView[]> {
  const cdb = catalogDb(db);
  const [rows, counts] = await Promise.all([
    cdb
      .selectFrom('categories')
      .select(['id', 'parent_id', 'name', 'sort'])
      .orderBy('sort')
      .orderBy('id')
      .execute(),
    cdb
      .selectFrom('products')
      .select(['category_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('deleted_at', 'is', null)
      .where('category_id', 'is not', null)
      .groupBy('category_id')
      .execute(),
  ]);
  const byId = new Map(counts.map((c) => [c.category_id, Number(c.n)]));
  return rows.map((c) => view(c, byId.get(c.id) ?? 0));
}

export async function createCategory(
  tx: Tx,
  actor: Actor,
  input: CategoryCreateBody,
  now: Date,
): Promise<Result<CategoryView>> {
  const parentId = input.parentId ?? null;
  if (parentId !== null) {
    const parent = await tx
      .selectFrom('categories')
      .select('id')
      .where('id', '=', parentId)
      .executeTakeFirst();
    if (!parent) return err('CATEGORY_NOT_FOUND', { field: 'parentId' });
  }
  const c = await tx
    .insertInto('categories')
    .values({
      name: input.name.trim(),
      parent_id: parentId,
      sort: input.sort ?? 0,
      created_at: now,
    })
    .returning(['id', 'parent_id', 'name', 'sort'])
    .executeTakeFirstOrThrow();
  await audit(
    tx,
    actor,
    'category.create',
    { type: 'category', id: c.id },
    { name: c.name, parentId, sort: c.sort },
    now,
  );
  return ok(view(c));
}

export async function updateCategory(
  tx: Tx,
  actor: Actor,
  id: number,
  patch: CategoryPatchBody,
  now: Date,
): Promise<Result<CategoryView>> {
  const before = await tx
    .selectFrom('categories')
    .select(['id', 'parent_id', 'name', 'sort'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!before) return err('NOT_FOUND');
  if (patch.parentId !== undefined && patch.parentId !== before.parent_id) {
    const moved = await checkMove(tx, id, patch.parentId);
    if (!moved.ok) return moved;
  }
  const after = await tx
    .updateTable('categories')
    .set({
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.parentId !== undefined ? { parent_id: patch.parentId } : {}),
      ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
    })
    .where('id', '=', id)
    .returning(['id', 'parent_id', 'name', 'sort'])
    .executeTakeFirstOrThrow();
  await audit(
    tx,
    actor,
    'category.update',
    { type: 'category', id },
    {
      before: { name: before.name, parentId: before.parent_id, sort: before.sort },
      after: { name: after.name, parentId: after.parent_id, sort: after.sort },
    },
    now,
  );
  return ok(view(after));
}

/** A category may move under `parentId` unless that is itself or one of its descendants. */
async function checkMove(tx: Tx, id: number, parentId: number | null): Promise<Result<void>> {
  if (parentId === null) return ok(undefined);
  if (parentId === id) return err('CATEGORY_CYCLE');
  await sql`select pg_advisory_xact_lock(${CATEGORY_TREE_LOCK})`.execute(tx);
  // the new parent's ancestors (itself included): the category must not be among them
  const ancestors = await sql<{ id: number }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from categories where id = ${parentId}
      union all
      select c.id, c.parent_id, up.depth + 1 from categories c join up on c.id = up.parent_id where up.depth < 100
    )
    select id from up`.execute(tx);
  if (ancestors.rows.length === 0) return err('CATEGORY_NOT_FOUND', { field: 'parentId' });
  if (ancestors.rows.some((r) => Number(r.id) === id)) return err('CATEGORY_CYCLE');
  return ok(undefined);
}

/** Deletes an empty category: one with no subcategories and no products (removed ones included, orders name them). */
export async function deleteCategory(
  tx: Tx,
  actor: Actor,
  id: number,
  now: Date,
): Promise<Result<{ id: number }>> {
  const c = await tx
    .selectFrom('categories')
    .select(['id', 'name', 'parent_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!c) return err('NOT_FOUND');
  const child = await tx
    .selectFrom('categories')
    .select('id')
    .where('parent_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  const product = await tx
    .selectFrom('products')
    .select('id')
    .where('category_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  if (child || product)
    return err('CATEGORY_NOT_EMPTY', { subcategories: Boolean(child), products: Boolean(product) });
  await tx.deleteFrom('categories').where('id', '=', id).execute();
  await audit(
    tx,
    actor,
    'category.delete',
    { type: 'category', id },
    { name: c.name, parentId: c.parent_id },
    now,
  );
  return ok({ id });
}
