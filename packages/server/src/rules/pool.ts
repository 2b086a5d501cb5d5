import { sql } from 'kysely';
import {
  localDayKey,
  nextBoundary,
  pctOfFen,
  planQueueContribution,
  type Settings,
} from '@fanli/engine';
import type { Tx } from '../db/tx.ts';
import { enqueue } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/runner.ts';
import { applyPlan } from './plan-apply.ts';
import { recordPayouts } from './rewards.ts';
import { candidatesFor, lockQueue } from './queues.ts';
import { SHOP_TIMEZONE } from '../config/timezone.ts';
import { rulesInForce } from './versions.ts';

export const JOB_POOL_DAY = 'rules.poolDay';
const POOL = 'pool';

export async function schedulePoolDay(tx: Tx, settings: Settings, from: Date, now: Date) {
  if (!settings.queueRebate.enabled || !settings.queueRebate.pool) return;
  const at = new Date(nextBoundary(from.getTime(), 'daily', SHOP_TIMEZONE));
  await enqueue(
    tx,
    { kind: JOB_POOL_DAY, runAt: at, uniqueKey: `${JOB_POOL_DAY}:${at.toISOString()}` },
    now,
  );
}

/**
 * Net profit of a local day (工会排队): for the orders paid that day and
 * not refunded, paid minus supply cost, minus the commission and cashback they granted
 * (points valued at `fenPerPoint`). Never below zero: only profit funds the pool.
 */
export async function dayProfitFen(
  tx: Tx,
  settings: Settings,
  dayStart: Date,
  dayEnd: Date,
): Promise<number> {
  const rows = await sql<{ profit: string | null }>`
    with day_orders as (
      select o.id, o.payable_fen from orders o
       where o.paid_at >= ${dayStart} and o.paid_at < ${dayEnd}
         and o.state <> 'cancelled' and o.refund_status = 'none'
    ), costs as (
      select l.order_id, sum(l.qty * coalesce(s.cost_fen, 0)) as cost
        from order_lines l join skus s on s.id = l.sku_id
       where l.order_id in (select id from day_orders) group by l.order_id
    ), granted as (
      select r.source_order_id as order_id,
             sum(case when r.asset = 'points' then r.amount * ${settings.points.fenPerPoint} else r.amount end) as fen
        from rewards r
       where r.source_order_id in (select id from day_orders)
         and r.kind in ('commission', 'cashback') and r.state <> 'cancelled'
       group by r.source_order_id
    )
    select sum(d.payable_fen - coalesce(c.cost, 0) - coalesce(g.fen, 0))::text as profit
      from day_orders d left join costs c on c.order_id = d.id left join granted g on g.order_id = d.id`.execute(
    tx,
  );
  return Math.max(0, Number(rows.rows[0]?.profit ?? 0));
}

/** Every local midnight: `poolPct` of the day's profit is paid to the pool queue in order. */
export function poolJobs(): Record<string, JobHandler> {
  return {
    [JOB_POOL_DAY]: async (tx, job, now) => {
      const { settings } = await rulesInForce(tx, now);
      const pool = settings.queueRebate.pool;
      if (!settings.queueRebate.enabled || !pool) return;
      // the day that ended at the job's midnight, however late the job runs
      const due = new Date(job.run_at).getTime();
      const dayKey = localDayKey(due - 1, SHOP_TIMEZONE);
      const dayEnd = new Date(nextBoundary(due - 1, 'daily', SHOP_TIMEZONE));
      const dayStart = new Date(dayEnd.getTime() - 86_400_000);
      const amountFen = pctOfFen(await dayProfitFen(tx, settings, dayStart, dayEnd), pool.poolPct);
      await lockQueue(tx, POOL);
      if (amountFen > 0) {
        // every waiting entry may be paid: the pool has no contributing order to stand behind
        const candidates = await candidatesFor(
          tx,
          POOL,
          Number.MAX_SAFE_INTEGER,
          amountFen,
          settings.queueRebate.order === 'completedFirst',
        );
        const { plan, payouts } = planQueueContribution({
          queueId: POOL,
          contributionId: `day:${dayKey}`,
          contributorOrderId: `day:${dayKey}`,
          amountFen,
          paused: settings.queueRebate.paused,
          candidates,
          fundReason: 'pool.fund',
        });
        const ids = await applyPlan(tx, plan, now);
        await recordPayouts(tx, POOL, null, payouts, ids, now);
      }
      await schedulePoolDay(tx, settings, new Date(due), now);
    },
  };
}
