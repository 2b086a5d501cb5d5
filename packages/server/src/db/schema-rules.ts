import type { Id, Json, Timestamp } from './schema.ts';

/** Tables of the rules capability: versioned settings, queues, rewards. */
export interface RulesTables {
  rule_versions: RuleVersionsTable;
}

export interface RuleVersionsTable {
  id: Id;
  settings: Json<unknown>;
  effective_at: Timestamp;
  note: string;
  created_by: number | null;
  created_at: Timestamp;
}
