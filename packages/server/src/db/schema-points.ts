import type { Generated } from 'kysely';
import type { Id, Timestamp } from './schema.ts';

/** Tables of points expiry (0061): one lot per grant of points that became available. */
export interface PointsTables {
  points_lots: PointsLotsTable;
}

export interface PointsLotsTable {
  id: Id;
  user_id: number;
  /** the posted transfer that made the points available; null for an opening lot (0061) */
  granted_transfer_id: number | null;
  amount: number;
  remaining: number;
  granted_at: Timestamp;
  /** null: never expires */
  expires_at: Timestamp | null;
  expired_at: Generated<Date | null>;
  /** what the expiry forfeited (≤ what was left: points reserved by a pending debit stay) */
  expired_points: Generated<number>;
  expiry_transfer_id: Generated<number | null>;
}
