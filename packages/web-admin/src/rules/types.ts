/**
 * The settings document (docs/models/simulator.md) as the server returns it
 * after validation. The console edits this shape and sends it back through
 * `toDocument`, which folds the store/cashier override maps into `stores`/`cashiers`.
 */
import type { QueueOverride, Settings } from '@fanli/engine';

// The engine's own types: the console edits exactly what the engine validates.
export type {
  Hours,
  Lottery,
  MemberLevel,
  MembersSettings,
  QueueOverride,
  RandomReturn,
  ReferralReward,
  Settings,
  SpendTier,
} from '@fanli/engine';

export interface RuleVersion {
  id: number | null;
  settings: Settings;
  effectiveAt: string;
  note: string;
}

export interface RulesAnswer {
  current: RuleVersion;
  versions: {
    id: number;
    effectiveAt: string;
    note: string;
    createdBy: number | null;
    createdAt: string;
    inForce: boolean;
    announced: boolean;
  }[];
}

/** `POST /api/v1/admin/rules/preview`: the simulator run over the shop's own recent orders. */
export interface PreviewAnswer {
  window: { from: string; to: string; orders: number; users: number };
  result: {
    merchant: { revenueFen: number; rewardsPaidFen: number; outstandingEntitlementFen: number };
    queues?: {
      id: string;
      entries: { status: string; entitlementFen: number; receivedFen: number }[];
    }[];
  };
  summary: {
    rewardsPendingFen: number;
    rewardsAvailableFen: number;
    rewardsPaidFen: number;
    outstandingEntitlementFen: number;
    revenueFen: number;
    entries: { waiting: number; done: number; total: number };
  };
}

/** One field of a refused settings document, as the server names it. */
export interface FieldProblem {
  field: string;
  /** The engine's settings-error code and its parameters (absent on older answers). */
  code?: string;
  params?: Record<string, unknown>;
  /** The English wording; `message` is in the language the console asked for. */
  reason: string;
  message?: string;
}

/**
 * The document to send: the server's normalized form keeps store and cashier overrides
 * in `storeOverrides`/`cashierOverrides`, but the document it accepts has them as a map in
 * `stores`/`cashiers` (a map means `each` plus those overrides).
 */
export function toDocument(s: Settings): unknown {
  const { storeOverrides, cashierOverrides, ...q } = s.queueRebate;
  const scope = (mode: 'all' | 'each', map: Record<string, QueueOverride>) =>
    mode === 'each' && Object.keys(map).length > 0 ? map : mode;
  return {
    ...s,
    queueRebate: {
      ...q,
      stores: scope(q.stores, storeOverrides),
      cashiers: scope(q.cashiers, cashierOverrides),
    },
  };
}

/** Reads a value at a dotted path. */
export function getIn(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Returns a copy with the value at a dotted path replaced; `undefined` removes the key. */
export function setIn<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const base = (obj && typeof obj === 'object' ? obj : {}) as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...base };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head!];
    else copy[head!] = value;
  } else {
    copy[head!] = setIn(base[head!], rest.join('.'), value);
  }
  return copy as T;
}
