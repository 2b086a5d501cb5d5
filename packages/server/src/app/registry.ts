import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import type { App, AppDeps } from '../http/deps.ts';
import type { AnyJobHandler } from '../jobs/runner.ts';
import type { Db } from '../db/database.ts';
import type { Tx, TxHook } from '../db/tx.ts';
import type { OrderListener } from '../orders/events.ts';
import type { LedgerObserver } from '../ledger/transfers.ts';
import type { PersonalData } from '../privacy/personal-data.ts';
import { NO_CHECKOUT_HOOKS, type CheckoutHooks } from '../checkout/hooks.ts';

/**
 * A capability of the server: its routes, the kinds of durable job it runs, and what it
 * plugs into the use-cases of others. Adding one is an entry in the module table
 * (`app/modules.ts`); nothing else in the server changes.
 */
export interface Module {
  name: string;
  routes?: (app: App, deps: AppDeps) => void | Promise<void>;
  jobs?: (deps: AppDeps) => Record<string, AnyJobHandler>;
  /** what this capability holds about a person (export and deletion) */
  personalData?: PersonalData[];
  /** hear order events inside the transaction that changes the order, in table order */
  orderListeners?: OrderListener[];
  /** follow every posted ledger transfer, inside its transaction */
  ledgerObservers?: LedgerObserver[];
  /** work at the edges of every use-case transaction (just before and after COMMIT) */
  txHooks?: TxHook[];
  /** the seams of checkout this capability fills; each seam has one owner */
  checkout?: Partial<CheckoutHooks>;
}

/**
 * Everything the modules of one server declared, collected once. It is built from the
 * module table and handed to whatever runs use-cases (the HTTP app, the job runner, the
 * CLI, a test): there is no list a module appends to at import time, so two servers in
 * one process can run with different modules.
 */
export interface Registry {
  readonly modules: readonly Module[];
  readonly orderListeners: readonly OrderListener[];
  readonly ledgerObservers: readonly LedgerObserver[];
  readonly txHooks: readonly TxHook[];
  readonly checkout: Readonly<CheckoutHooks>;
  readonly personalData: readonly PersonalData[];
}

export function buildRegistry(modules: readonly Module[]): Registry {
  const names = new Set<string>();
  const checkout: CheckoutHooks = { ...NO_CHECKOUT_HOOKS };
  const checkoutOwner = new Map<string, string>();
  for (const m of modules) {
    if (names.has(m.name)) throw new Error(`module ${m.name} is in the table twice`);
    names.add(m.name);
    for (const [seam, hook] of Object.entries(m.checkout ?? {})) {
      const owner = checkoutOwner.get(seam);
      if (owner) throw new Error(`checkout seam ${seam} is filled by ${owner} and ${m.name}`);
      checkoutOwner.set(seam, m.name);
      Object.assign(checkout, { [seam]: hook });
    }
  }
  return Object.freeze({
    modules: Object.freeze([...modules]),
    orderListeners: Object.freeze(modules.flatMap((m) => m.orderListeners ?? [])),
    ledgerObservers: Object.freeze(modules.flatMap((m) => m.ledgerObservers ?? [])),
    txHooks: Object.freeze(modules.flatMap((m) => m.txHooks ?? [])),
    checkout: Object.freeze(checkout),
    personalData: Object.freeze(modules.flatMap((m) => m.personalData ?? [])),
  });
}

/** What a database handle opened without a registry runs with: no module plugged in. */
export const EMPTY_REGISTRY: Registry = buildRegistry([]);

/**
 * Carries a registry on a database handle. It changes no query: Kysely keeps a handle's
 * plugins on every transaction opened from it, so code deep in a use-case (the ledger,
 * order events, checkout) finds the registry from the `tx` it already takes, without a
 * global and without threading one more argument through every call.
 */
class RegistryCarrier implements KyselyPlugin {
  constructor(readonly registry: Registry) {}
  transformQuery(args: PluginTransformQueryArgs) {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

/** A handle on the same database (same pool) whose use-cases run with `registry`. */
export function withRegistry(db: Db, registry: Registry): Db {
  return db.withPlugin(new RegistryCarrier(registry));
}

/** The registry a handle or transaction runs with (the empty one when none was given). */
export function registryOf(db: Db | Tx): Registry {
  const plugins = db.getExecutor().plugins;
  // the last one given wins: a handle re-bound for a test runs with the test's registry
  for (let i = plugins.length - 1; i >= 0; i--) {
    const p = plugins[i];
    if (p instanceof RegistryCarrier) return p.registry;
  }
  return EMPTY_REGISTRY;
}

/**
 * The dependencies of one server: `db` becomes a handle carrying `registry`, so every
 * use-case run through it (a route, a job, a CLI command) runs with these modules.
 */
export function composeDeps(parts: Omit<AppDeps, 'registry'>, registry: Registry): AppDeps {
  return { ...parts, db: withRegistry(parts.db, registry), registry };
}

/** The job handlers of the modules in `deps.registry`, by kind (a kind has one owner). */
export function allJobHandlers(deps: AppDeps): Record<string, AnyJobHandler> {
  const handlers: Record<string, AnyJobHandler> = {};
  for (const m of deps.registry.modules) {
    for (const [kind, handler] of Object.entries(m.jobs?.(deps) ?? {})) {
      if (handlers[kind]) throw new Error(`job kind ${kind} is registered twice`);
      handlers[kind] = handler;
    }
  }
  return handlers;
}
