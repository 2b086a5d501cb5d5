import { defaultSettings, validateSettings, type Settings } from '@fanli/engine';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';
import { perDatabase } from '../db/per-database.ts';

export interface RuleVersion {
  id: number | null;
  settings: Settings;
  effectiveAt: string;
  note: string;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * Versions are append-only (a trigger refuses UPDATE), so a version validated once stays
 * right: each process keeps the validated settings per database and version id, frozen
 * because every caller shares them. Every paid order reads the version in force.
 */
const validated = perDatabase(() => new Map<number, Settings>());

function toVersion(
  db: Db | Tx,
  row: {
    id: number;
    settings: unknown;
    effective_at: Date | string;
    note: string;
  },
): RuleVersion {
  const cache = validated(db);
  const hit = cache.get(row.id);
  if (hit)
    return {
      id: row.id,
      settings: hit,
      effectiveAt: new Date(row.effective_at).toISOString(),
      note: row.note,
    };
  // stored documents were validated on the way in; validating again fills defaults added since
  const v = validateSettings(row.settings);
  if (!v.ok)
    throw new Error(`stored rule version ${row.id} is no longer valid: ${v.errors[0]?.path}`);
  if (cache.size > 1000) cache.clear();
  cache.set(row.id, deepFreeze(v.value));
  return {
    id: row.id,
    settings: v.value,
    effectiveAt: new Date(row.effective_at).toISOString(),
    note: row.note,
  };
}

/** Until a merchant saves rules, the engine's defaults apply (version id null). */
const DEFAULT_VERSION = (): RuleVersion => ({
  id: null,
  settings: defaultSettings(),
  effectiveAt: new Date(0).toISOString(),
  note: 'defaults',
});

/**
 * The version in force at `at` (the latest whose effective time has come), as SQL to run
 * alone or inside a larger statement. Its document is read only when this process has
 * not validated that version yet: otherwise `settings` is null and the cache answers.
 */
export function versionAtSql(db: Db | Tx, at: Date) {
  const known = [...validated(db).keys()];
  return sql<VersionRow>`
    select id, effective_at, note,
           case when id = any(${known}::bigint[]) then null else settings end as settings
      from rule_versions where effective_at <= ${at}
     order by effective_at desc, id desc limit 1`;
}

export interface VersionRow {
  id: number;
  effective_at: Date | string;
  note: string;
  settings: unknown;
}

/** The version a `versionAtSql` row names (none: the defaults). */
export async function versionOfRow(db: Db | Tx, row: VersionRow | undefined | null) {
  if (!row || row.id === null) return DEFAULT_VERSION();
  if (row.settings === null && !validated(db).has(row.id)) return ruleVersion(db, row.id);
  return toVersion(db, row);
}

/** The rules in force at `at`: the latest version whose effective time has come. */
export async function rulesInForce(db: Db | Tx, at: Date): Promise<RuleVersion> {
  return versionOfRow(db, (await versionAtSql(db, at).execute(db)).rows[0]);
}

export async function ruleVersion(db: Db | Tx, id: number | null): Promise<RuleVersion> {
  if (id === null) return DEFAULT_VERSION();
  const row = await db
    .selectFrom('rule_versions')
    .select(['id', 'settings', 'effective_at', 'note'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return toVersion(db, row);
}

/** Announced changes: versions that take effect after `now`, soonest first. */
export async function upcomingRules(db: Db | Tx, now: Date): Promise<RuleVersion[]> {
  const rows = await db
    .selectFrom('rule_versions')
    .select(['id', 'settings', 'effective_at', 'note'])
    .where('effective_at', '>', now)
    .orderBy('effective_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => toVersion(db, r));
}
