import type { App, AppDeps } from './deps.ts';
import type { AnyJobHandler } from '../jobs/runner.ts';
import { authRoutes } from '../auth/routes.ts';
import { userRoutes } from '../users/routes.ts';
import { adminRoutes } from '../users/admin-routes.ts';
import { catalogRoutes } from '../catalog/routes.ts';
import { maintenanceJobs } from '../jobs/maintenance.ts';
import { rulesRoutes } from '../rules/routes.ts';
import { rulesShopperRoutes } from '../rules/shopper-routes.ts';
import { rewardReviewRoutes } from '../rules/review-routes.ts';
import { clearingJobs } from '../rules/clearing.ts';
import { poolJobs } from '../rules/pool.ts';
import { pointsExpiryJobs, pointsLotsData, pointsLotsObserver } from '../rules/points-lots.ts';
import { LEDGER_OBSERVERS } from '../ledger/transfers.ts';
import { testClockRoutes } from '../clock/routes.ts';
import { rulesListener } from '../rules/listener.ts';
import { memberDiscountPct } from '../rules/members.ts';
import { checkoutHooks } from '../checkout/hooks.ts';
import { ORDER_LISTENERS } from '../orders/events.ts';
import { cashierRoutes } from '../cashier/routes.ts';
import { inStoreListener } from '../cashier/charges.ts';
import { commerceConfigFromEnv } from '../orders/config.ts';
import { privacyRoutes } from '../privacy/routes.ts';
import { accountData, ledgerData } from '../privacy/core-data.ts';
import { commerceData } from '../privacy/commerce-data.ts';
import type { PersonalData } from '../privacy/personal-data.ts';
import { addressRoutes } from '../addresses/routes.ts';
import { cartRoutes } from '../cart/routes.ts';
import { orderAdminRoutes, orderRoutes } from '../orders/routes.ts';
import { orderJobs } from '../orders/jobs.ts';
import { paymentRoutes } from '../payment-flow/routes.ts';
import { paymentJobs } from '../payment-flow/jobs.ts';
import { afterSaleRoutes } from '../after-sale/routes.ts';
import { afterSaleJobs } from '../after-sale/refund-call.ts';
import { walletRoutes } from '../wallet/routes.ts';
import { withdrawalJobs } from '../wallet/payout-call.ts';
import { reviewRoutes } from '../reviews/routes.ts';
import { dashboardRoutes } from '../dashboard/routes.ts';

/**
 * A capability plugs into the server with its routes and the kinds of durable job it
 * runs. Adding one is a line here; nothing else in the server changes.
 */
export interface Module {
  name: string;
  /** what this capability holds about a person (export and deletion) */
  personalData?: PersonalData[];
  routes?: (app: App, deps: AppDeps) => void | Promise<void>;
  jobs?: (deps: AppDeps) => Record<string, AnyJobHandler>;
}

export const MODULES: Module[] = [
  { name: 'auth', routes: authRoutes, personalData: [accountData, ledgerData, commerceData] },
  { name: 'privacy', routes: privacyRoutes(() => MODULES.flatMap((m) => m.personalData ?? [])) },
  { name: 'users', routes: userRoutes },
  { name: 'admin', routes: adminRoutes },
  { name: 'catalog', routes: catalogRoutes },
  { name: 'maintenance', jobs: maintenanceJobs },
  { name: 'rules', routes: rulesRoutes },
  {
    name: 'rewards',
    routes: rulesShopperRoutes,
    personalData: [pointsLotsData],
    jobs: () => ({ ...clearingJobs(), ...poolJobs(), ...pointsExpiryJobs() }),
  },
  { name: 'reward-review', routes: rewardReviewRoutes },
  { name: 'cashier', routes: cashierRoutes },
  { name: 'test-clock', routes: testClockRoutes },
  { name: 'addresses', routes: addressRoutes },
  { name: 'cart', routes: cartRoutes },
  { name: 'orders', routes: orderRoutes, jobs: orderJobs },
  { name: 'orders-admin', routes: orderAdminRoutes },
  { name: 'payments', routes: paymentRoutes, jobs: paymentJobs },
  { name: 'after-sale', routes: afterSaleRoutes, jobs: afterSaleJobs },
  { name: 'wallet', routes: walletRoutes, jobs: withdrawalJobs },
  { name: 'reviews', routes: reviewRoutes },
  { name: 'dashboard', routes: dashboardRoutes },
];

export function allJobHandlers(
  deps: AppDeps,
  modules: Module[] = MODULES,
): Record<string, AnyJobHandler> {
  const handlers: Record<string, AnyJobHandler> = {};
  for (const m of modules) {
    for (const [kind, handler] of Object.entries(m.jobs?.(deps) ?? {})) {
      if (handlers[kind]) throw new Error(`job kind ${kind} is registered twice`);
      handlers[kind] = handler;
    }
  }
  return handlers;
}

// The rule engine hears every order event, in the order's own transaction.
// Rules first (the payment joins its queues), then the till completes in-store payments.
for (const listener of [rulesListener, inStoreListener(() => commerceConfigFromEnv())]) {
  if (!ORDER_LISTENERS.some((l) => l.name === listener.name)) ORDER_LISTENERS.push(listener);
}

// The member discount at checkout is the buyer's level's, under the rules in force (members.md).
checkoutHooks.memberDiscountPct = memberDiscountPct;

// Points lots follow every posted points transfer, in its transaction (rules/points-lots.ts).
if (!LEDGER_OBSERVERS.includes(pointsLotsObserver)) LEDGER_OBSERVERS.push(pointsLotsObserver);
