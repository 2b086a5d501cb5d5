import type { Ledger } from '../ledger/ledger.ts';
import type { Asset } from '../ledger/types.ts';
import type { PointsLot } from '../cashback/points-lots.ts';
import type { BookEntry, QueueBook } from '../queue-rebate/book.ts';
import type { ReferrerProgress } from '../referral/referral.ts';
import type { Rng } from '../time/rng.ts';
import type { Settings } from '../settings/types.ts';
import type { JobQueue } from './jobs.ts';
import type { Scenario } from './scenario.ts';

export interface SimUser {
  id: string;
  referrerId: string | null;
  registeredAtMs: number;
  level: string | null;
  /** Growth value from settled orders (members, docs/models/members.md). */
  growth: number;
  referral: ReferrerProgress;
  lots: PointsLot[];
  orders: SimOrder[];
}

export interface SimLine {
  product: string;
  qty: number;
  grossFen: number;
  paidFen: number;
  costFen: number;
}

export type OrderStatus =
  'pending_payment' | 'paid' | 'shipped' | 'completed' | 'refunded' | 'cancelled';

export interface SimOrder {
  id: string;
  userId: string;
  placedAtMs: number;
  /** Buyer's member level when the order was placed. */
  level: string | null;
  lines: SimLine[];
  /** A cashier payment without lines. */
  amountOnly: boolean;
  store: string | null;
  cashier: string | null;
  pointsUsed: number;
  grossFen: number;
  /** The member discount of the buyer's level, taken off the goods price first. */
  memberDiscountFen: number;
  paidFen: number;
  costFen: number;
  status: OrderStatus;
  paidAtMs: number | null;
  completedAtMs: number | null;
  /** Completed and past its after-sale window (a later refund does not undo it). */
  settled: boolean;
  /** An after-sale request is open (requested, not yet refunded or rejected): the window is held. */
  afterSaleOpen: boolean;
  paySeq: number;
  /** Contributions still to distribute when settleOn = completed. */
  contributions: { queueId: string; contributionId: string; amountFen: number }[];
  /** Points taken from lots at payment, to give back on refund. */
  pointsTaken: { lotId: string; points: number }[];
}

export interface SimReward {
  id: string;
  kind: 'queue' | 'other';
  userId: string;
  asset: Exclude<Asset, 'entitlement'>;
  amount: number;
  deps: string[];
  state: 'pending' | 'posted' | 'voided';
  /** For queue payouts. */
  queueId?: string;
  entryKey?: string;
  entryOrderId?: string;
}

export type { EntryUnit } from '../queue-rebate/order-queues.ts';
import type { EntryUnit } from '../queue-rebate/order-queues.ts';

export interface EntryMeta {
  units: EntryUnit[];
  drawn: boolean;
  limitKeys: string[];
  /** when the entry joined its queue (a clearing spares what joined after its instant) */
  joinedAtMs: number;
}

export interface Sim {
  scenario: Scenario;
  settings: Settings;
  tz: string;
  rng: Rng;
  ledger: Ledger;
  jobs: JobQueue;
  nowMs: number;
  seq: number;
  revenueFen: number;
  users: Map<string, SimUser>;
  orders: Map<string, SimOrder>;
  rewards: Map<string, SimReward>;
  /** Rewards still pending, under every order they depend on (settled or not). */
  rewardsByOrder: Map<string, SimReward[]>;
  books: Map<string, QueueBook>;
  entries: Map<string, BookEntry>;
  entriesByOrder: Map<string, BookEntry[]>;
  entryMeta: Map<string, EntryMeta>;
  limitCounts: Map<string, number>;
  randomGroups: Map<string, { pos: number; pointsSlots: Set<number> }>;
  lotCounter: number;
  /** The merchant-wide referral budget used so far. */
  referralBudget: { spentFen: number };
}

/** An expected failure of a scenario (exit 2), carried as a value to the caller. */
export class ScenarioError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}
