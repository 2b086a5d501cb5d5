import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { RewardState } from '../db/schema-rules.ts';

export interface QueuesReport {
  /** entitlement still owed to waiting entries, all queues */
  outstandingFen: number;
  queues: {
    queueId: string;
    entries: number;
    waiting: number;
    outstandingFen: number;
    receivedFen: number;
  }[];
  /** every reward granted, summed by kind, asset and state */
  rewards: { kind: string; asset: string; state: RewardState; amount: number }[];
}

/**
 * The queue page's figures: per queue, the entries waiting and what they are still owed;
 * and every reward by kind, asset and state. The dashboard reads the same report, so the
 * two pages cannot disagree.
 */
export async function queuesReport(db: Db): Promise<QueuesReport> {
  const [queues, rewards] = await Promise.all([
    db
      .selectFrom('queue_entries')
      .select([
        'queue_id',
        (eb) => eb.fn.countAll<number>().as('entries'),
        (eb) =>
          eb.fn.sum<number>(sql`case when status = 'waiting' then 1 else 0 end`).as('waiting'),
        (eb) =>
          eb.fn
            .sum<number>(
              sql`case when status = 'waiting' then entitlement_fen - received_fen else 0 end`,
            )
            .as('outstanding_fen'),
        (eb) => eb.fn.sum<number>('received_fen').as('received_fen'),
      ])
      .groupBy('queue_id')
      .orderBy('queue_id')
      .execute(),
    db
      .selectFrom('rewards')
      .select(['kind', 'asset', 'state', (eb) => eb.fn.sum<number>('amount').as('amount')])
      .groupBy(['kind', 'asset', 'state'])
      .orderBy('kind')
      .orderBy('asset')
      .orderBy('state')
      .execute(),
  ]);
  const items = queues.map((q) => ({
    queueId: q.queue_id,
    entries: Number(q.entries),
    waiting: Number(q.waiting),
    outstandingFen: Number(q.outstanding_fen),
    receivedFen: Number(q.received_fen),
  }));
  return {
    outstandingFen: items.reduce((s, q) => s + q.outstandingFen, 0),
    queues: items,
    rewards: rewards.map((r) => ({
      kind: r.kind,
      asset: r.asset,
      state: r.state,
      amount: Number(r.amount),
    })),
  };
}

/** The report's rewards of one asset in one state, all kinds together. */
export function rewardsIn(report: QueuesReport, asset: string, state: RewardState): number {
  return report.rewards
    .filter((r) => r.asset === asset && r.state === state)
    .reduce((s, r) => s + r.amount, 0);
}
