import type { Category } from './types.ts';

export interface CategoryNode extends Category {
  children?: CategoryNode[];
}

/** Builds the category tree (siblings by `sort`, then id) from the flat list the API returns. */
export function categoryTree(list: Category[]): CategoryNode[] {
  const byParent = new Map<number | null, Category[]>();
  for (const c of list) {
    const key = c.parentId !== null && list.some((p) => p.id === c.parentId) ? c.parentId : null;
    byParent.set(key, [...(byParent.get(key) ?? []), c]);
  }
  const build = (parent: number | null): CategoryNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.sort - b.sort || a.id - b.id)
      .map((c) => {
        const children = build(c.id);
        return children.length ? { ...c, children } : { ...c };
      });
  return build(null);
}

/** The ids of a category and everything under it (a category cannot move under itself). */
export function subtreeIds(list: Category[], id: number): Set<number> {
  const ids = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of list) {
      if (c.parentId !== null && ids.has(c.parentId) && !ids.has(c.id)) {
        ids.add(c.id);
        grew = true;
      }
    }
  }
  return ids;
}

export interface TreeSelectNode {
  value: number;
  title: string;
  disabled?: boolean;
  children?: TreeSelectNode[];
}

export function categoryOptions(list: Category[], disabled?: Set<number>): TreeSelectNode[] {
  const map = (nodes: CategoryNode[]): TreeSelectNode[] =>
    nodes.map((n) => ({
      value: n.id,
      title: n.name,
      ...(disabled?.has(n.id) ? { disabled: true } : {}),
      ...(n.children ? { children: map(n.children) } : {}),
    }));
  return map(categoryTree(list));
}
