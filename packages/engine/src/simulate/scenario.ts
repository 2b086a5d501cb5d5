import { settingErrorMessage } from '../settings/errors.ts';
import { validateSettings } from '../settings/validate.ts';
import type { Settings, Validated } from '../settings/types.ts';
import { isValidTimeZone, parseInstant } from '../time/zone.ts';

/** A problem in a scenario, worded in English for the command line. */
export interface ScenarioFieldError {
  path: string;
  message: string;
}

export interface ScenarioProduct {
  id: string;
  priceFen: number;
  costFen: number;
}

export interface ScenarioStore {
  id: string;
  recruiter: string | null;
  commissionPct: number;
}

interface Base {
  /** Index in the scenario file, for error paths (`events[3].order`). */
  index: number;
  atMs: number;
}

export type ScenarioEvent = Base &
  (
    | { type: 'register'; user: string; referrer: string | null }
    | {
        type: 'order';
        order: string;
        user: string;
        lines: { product: string; qty: number }[];
        amountFen: number | null;
        costFen: number | null;
        store: string | null;
        cashier: string | null;
        pointsUsed: number;
      }
    | {
        type: 'pay' | 'ship' | 'complete' | 'refund' | 'requestRefund' | 'rejectRefund' | 'lottery';
        order: string;
      }
    | { type: 'exchange'; order: string; to: 'points' | 'voucher' }
    | { type: 'setLevel'; user: string; level: string | null }
    | { type: 'withdraw'; user: string; amountFen: number }
    | { type: 'tick' }
  );

export interface Scenario {
  timezone: string;
  seed: number;
  settings: Settings;
  products: Map<string, ScenarioProduct>;
  stores: Map<string, ScenarioStore>;
  /** Sorted by time; equal times keep file order. */
  events: ScenarioEvent[];
}

const EVENT_TYPES = [
  'register',
  'order',
  'pay',
  'ship',
  'complete',
  'refund',
  'requestRefund',
  'rejectRefund',
  'tick',
  'setLevel',
  'lottery',
  'exchange',
  'withdraw',
] as const;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string | number =>
  (typeof v === 'string' && v.length > 0) || (typeof v === 'number' && Number.isFinite(v));
const isNat = (v: unknown, min = 0): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

/**
 * Validate a scenario (docs/models/simulator.md) and normalise it. Settings errors keep their own paths
 * (`commission.depth`), everything else is named from the scenario root
 * (`events[2].order`). Unknown extra fields in the scenario are ignored; unknown
 * settings fields are errors.
 *
 * @example parseScenario({ events: [] }).ok // true
 */
export function parseScenario(input: unknown): Validated<Scenario, ScenarioFieldError> {
  const errors: ScenarioFieldError[] = [];
  const e = (path: string, message: string) => {
    errors.push({ path, message });
  };
  if (!isObj(input))
    return { ok: false, errors: [{ path: 'scenario', message: 'must be a JSON object' }] };

  const timezone = input.timezone ?? 'Asia/Shanghai';
  if (typeof timezone !== 'string' || !isValidTimeZone(timezone))
    e('timezone', 'must be an IANA time zone such as "Asia/Shanghai"');
  const seed = input.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) e('seed', 'must be an integer');

  const settingsResult = validateSettings(input.settings ?? {});
  if (!settingsResult.ok)
    for (const f of settingsResult.errors)
      errors.push({ path: f.path, message: settingErrorMessage(f) });

  const products = new Map<string, ScenarioProduct>();
  const rawProducts = input.products ?? [];
  if (!Array.isArray(rawProducts)) e('products', 'must be a list');
  else
    rawProducts.forEach((p, i) => {
      const path = `products[${i}]`;
      if (!isObj(p)) return e(path, 'must be an object');
      if (!isId(p.id)) return e(`${path}.id`, 'must be a non-empty string');
      const id = String(p.id);
      if (products.has(id)) return e(`${path}.id`, `duplicate product "${id}"`);
      if (!isNat(p.priceFen)) return e(`${path}.priceFen`, 'must be an integer ≥ 0 (fen)');
      const costFen = p.costFen ?? 0;
      if (!isNat(costFen)) return e(`${path}.costFen`, 'must be an integer ≥ 0 (fen)');
      products.set(id, { id, priceFen: p.priceFen, costFen });
    });

  const stores = new Map<string, ScenarioStore>();
  const rawStores = input.stores ?? [];
  if (!Array.isArray(rawStores)) e('stores', 'must be a list');
  else
    rawStores.forEach((s, i) => {
      const path = `stores[${i}]`;
      if (!isObj(s) || !isId(s.id)) return e(`${path}.id`, 'must be a non-empty string');
      const recruiter = s.recruiter ?? null;
      if (recruiter !== null && !isId(recruiter))
        return e(`${path}.recruiter`, 'must be a user id or null');
      const pct = s.commissionPct ?? 0;
      if (typeof pct !== 'number' || pct < 0 || pct > 100)
        return e(`${path}.commissionPct`, 'must be a percentage from 0 to 100');
      stores.set(String(s.id), {
        id: String(s.id),
        recruiter: recruiter === null ? null : String(recruiter),
        commissionPct: pct,
      });
    });

  const events: ScenarioEvent[] = [];
  const rawEvents = input.events;
  const tz = typeof timezone === 'string' && isValidTimeZone(timezone) ? timezone : 'UTC';
  if (!Array.isArray(rawEvents)) e('events', 'must be a list');
  else
    rawEvents.forEach((ev, index) => {
      const path = `events[${index}]`;
      if (!isObj(ev)) return e(path, 'must be an object');
      const type = ev.type;
      if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
        return e(`${path}.type`, `must be one of ${EVENT_TYPES.map((t) => `"${t}"`).join(', ')}`);
      }
      const atMs = typeof ev.at === 'string' ? parseInstant(ev.at, tz) : null;
      if (atMs === null)
        return e(`${path}.at`, 'must be an ISO 8601 date-time, e.g. "2026-01-01T10:00:00+08:00"');
      const need = (key: string): string | undefined => {
        const v = ev[key];
        if (isId(v)) return String(v);
        e(`${path}.${key}`, 'is required (a non-empty string)');
        return undefined;
      };
      switch (type) {
        case 'register': {
          const user = need('user');
          const referrer = ev.referrer ?? null;
          if (referrer !== null && !isId(referrer))
            return e(`${path}.referrer`, 'must be a user id or null');
          if (user !== undefined && referrer !== null && String(referrer) === user)
            return e(`${path}.referrer`, 'a user cannot refer themselves');
          if (user !== undefined)
            events.push({
              index,
              atMs,
              type,
              user,
              referrer: referrer === null ? null : String(referrer),
            });
          return;
        }
        case 'order': {
          const order = need('order');
          const user = need('user');
          const rawLines = ev.lines ?? [];
          const lines: { product: string; qty: number }[] = [];
          if (!Array.isArray(rawLines))
            return e(`${path}.lines`, 'must be a list of { "product", "qty" }');
          rawLines.forEach((l, j) => {
            const lp = `${path}.lines[${j}]`;
            if (!isObj(l) || !isId(l.product)) return e(`${lp}.product`, 'is required');
            if (!products.has(String(l.product)))
              return e(`${lp}.product`, `unknown product "${String(l.product)}"`);
            const qty = l.qty ?? 1;
            if (!isNat(qty, 1)) return e(`${lp}.qty`, 'must be an integer ≥ 1');
            lines.push({ product: String(l.product), qty });
          });
          const amountFen = ev.amountFen ?? null;
          if (amountFen !== null && !isNat(amountFen))
            return e(`${path}.amountFen`, 'must be an integer ≥ 0 (fen)');
          if (lines.length === 0 && amountFen === null && Array.isArray(rawLines)) {
            return e(
              `${path}.lines`,
              'must list at least one line (or give amountFen for a cashier payment)',
            );
          }
          const costFen = ev.costFen ?? null;
          if (costFen !== null && !isNat(costFen))
            return e(`${path}.costFen`, 'must be an integer ≥ 0 (fen)');
          const pointsUsed = ev.pointsUsed ?? 0;
          if (!isNat(pointsUsed)) return e(`${path}.pointsUsed`, 'must be an integer ≥ 0');
          const store = ev.store ?? null;
          const cashier = ev.cashier ?? null;
          if (store !== null && !isId(store)) return e(`${path}.store`, 'must be a store id');
          if (cashier !== null && !isId(cashier))
            return e(`${path}.cashier`, 'must be a cashier id');
          if (order === undefined || user === undefined) return;
          events.push({
            index,
            atMs,
            type,
            order,
            user,
            lines,
            amountFen,
            costFen,
            store: store === null ? null : String(store),
            cashier: cashier === null ? null : String(cashier),
            pointsUsed,
          });
          return;
        }
        case 'pay':
        case 'ship':
        case 'complete':
        case 'refund':
        case 'requestRefund':
        case 'rejectRefund':
        case 'lottery': {
          const order = need('order');
          if (order !== undefined) events.push({ index, atMs, type, order });
          return;
        }
        case 'exchange': {
          const order = need('order');
          if (ev.to !== 'points' && ev.to !== 'voucher')
            return e(`${path}.to`, 'must be "points" or "voucher"');
          if (order !== undefined) events.push({ index, atMs, type, order, to: ev.to });
          return;
        }
        case 'setLevel': {
          const user = need('user');
          const level = ev.level ?? null;
          if (level !== null && !isId(level))
            return e(`${path}.level`, 'must be a level name or number, or null');
          if (user !== undefined)
            events.push({ index, atMs, type, user, level: level === null ? null : String(level) });
          return;
        }
        case 'withdraw': {
          const user = need('user');
          if (!isNat(ev.amountFen, 1))
            return e(`${path}.amountFen`, 'must be an integer ≥ 1 (fen)');
          if (user !== undefined) events.push({ index, atMs, type, user, amountFen: ev.amountFen });
          return;
        }
        default:
          events.push({ index, atMs, type: 'tick' });
      }
    });

  if (errors.length > 0 || !settingsResult.ok) return { ok: false, errors };
  // Stable sort: equal times keep file order.
  events.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  return {
    ok: true,
    value: {
      timezone: tz,
      seed: seed as number,
      settings: settingsResult.value,
      products,
      stores,
      events,
    },
  };
}
