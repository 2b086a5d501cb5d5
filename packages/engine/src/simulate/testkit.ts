/**
 * Helpers to write scenarios in tests: `at(day, 'HH:MM')` is a time on January `day`
 * 2026 in Asia/Shanghai; `buy(...)` emits an order and its payment.
 */
import { simulate, type SimulationResult } from './run.ts';

export const at = (day: number, hhmm = '10:00'): string =>
  `2026-01-${String(day).padStart(2, '0')}T${hhmm}:00+08:00`;

type Ev = Record<string, unknown>;

export function buy(
  order: string,
  user: string,
  day: number,
  opts: {
    product?: string;
    qty?: number;
    time?: string;
    extra?: Ev;
    lines?: { product: string; qty: number }[];
  } = {},
): Ev[] {
  const time = opts.time ?? '10:00';
  return [
    {
      at: at(day, time),
      type: 'order',
      order,
      user,
      lines: opts.lines ?? [{ product: opts.product ?? 'P1', qty: opts.qty ?? 1 }],
      ...opts.extra,
    },
    { at: at(day, bump(time)), type: 'pay', order },
  ];
}

const bump = (hhmm: string): string => {
  const [h = '10', m = '00'] = hhmm.split(':');
  const total = Number(h) * 60 + Number(m) + 1;
  return `${String(Math.floor(total / 60) % 24).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
};

export const ev = (day: number, type: string, fields: Ev = {}, hhmm = '12:00'): Ev => ({
  at: at(day, hhmm),
  type,
  ...fields,
});

export const P1 = { id: 'P1', priceFen: 16800, costFen: 12000 };
export const P100 = { id: 'P100', priceFen: 10000, costFen: 6000 };

/** Run a scenario and return its result, failing loudly on a scenario error. */
export function run(
  settings: unknown,
  events: Ev[],
  products: unknown[] = [P1, P100],
  extra: Ev = {},
): SimulationResult {
  const out = simulate({
    timezone: 'Asia/Shanghai',
    seed: 7,
    settings,
    products,
    events,
    ...extra,
  });
  if (!out.ok) throw new Error(`scenario error: ${JSON.stringify(out.errors)}`);
  return out.result;
}

export function entries(result: SimulationResult, queueId: string) {
  return result.queues.find((q) => q.id === queueId)?.entries ?? [];
}

/** Settings with everything but the queue rebate switched off, plus `queueRebate` fields. */
export function queueOnly(queueRebate: Ev = {}, extra: Ev = {}): Ev {
  return { referral: { enabled: false }, queueRebate, ...extra };
}
