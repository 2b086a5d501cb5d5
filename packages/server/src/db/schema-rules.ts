import type { Generated } from 'kysely';
import type { Id, Json, Timestamp } from './schema.ts';

/** Tables of the rules capability: versioned settings, rewards, queues, referral progress. */
export interface RulesTables {
  rule_versions: RuleVersionsTable;
  order_rule_state: OrderRuleStateTable;
  rewards: RewardsTable;
  reward_deps: RewardDepsTable;
  queue_entries: QueueEntriesTable;
  queue_contributions: QueueContributionsTable;
  queue_random_groups: QueueRandomGroupsTable;
  referral_progress: ReferralProgressTable;
  referral_budget: ReferralBudgetTable;
  cashier_charges: CashierChargesTable;
}

export interface RuleVersionsTable {
  id: Id;
  settings: Json<unknown>;
  effective_at: Timestamp;
  note: string;
  created_by: number | null;
  created_at: Timestamp;
}

export interface OrderRuleStateTable {
  order_id: number;
  pay_seq: number;
  settled: Generated<boolean>;
  refunded: Generated<boolean>;
}

export type RewardKind = 'commission' | 'cashback' | 'referral' | 'queue' | 'conversion';
export type RewardState = 'pending' | 'available' | 'cancelled';

export interface RewardsTable {
  id: Id;
  key: string;
  kind: RewardKind;
  user_id: number;
  asset: 'cash' | 'points' | 'voucher';
  amount: number;
  reason: string;
  transfer_id: number;
  state: RewardState;
  source_order_id: number | null;
  entry_id: number | null;
  queue_id: string | null;
  created_at: Timestamp;
  resolved_at: Timestamp | null;
  /** set: held for review (a referral ring signal); not posted until staff release it */
  held_reason: Generated<string | null>;
  /** a referral reward: what it took from the merchant's referral budget */
  budget_fen: Generated<number>;
}

export interface RewardDepsTable {
  reward_id: number;
  order_id: number;
}

export type EntryStatus = 'waiting' | 'done' | 'cancelled' | 'exchanged' | 'cleared' | 'converted';

export interface QueueEntriesTable {
  id: Id;
  queue_id: string;
  seq: number;
  order_id: number;
  user_id: number;
  entitlement_fen: number;
  received_fen: Generated<number>;
  status: EntryStatus;
  own_completed: Generated<boolean>;
  day_key: string;
  limit_day: Generated<boolean>;
  limit_total: Generated<boolean>;
  units: Json<unknown>;
  lottery_drawn: Generated<boolean>;
  created_at: Timestamp;
}

export interface QueueContributionsTable {
  order_id: number;
  contribution_id: string;
  queue_id: string;
  amount_fen: number;
  seq: number;
  status: 'waiting' | 'done' | 'cancelled';
}

export interface QueueRandomGroupsTable {
  queue_id: string;
  pos: number;
  points_slots: number[];
}

export interface ReferralProgressTable {
  referrer_id: number;
  progress: Json<unknown>;
}

export interface ReferralBudgetTable {
  id: number;
  spent_fen: number;
}

export interface CashierChargesTable {
  id: Id;
  code: string;
  store_id: number;
  cashier_id: number;
  amount_fen: number;
  note: Generated<string>;
  order_id: number | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}
