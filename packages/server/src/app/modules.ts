import type { Module } from './registry.ts';
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
import { ledgerModule } from '../ledger/module.ts';
import { testClockRoutes } from '../clock/routes.ts';
import { rulesListener } from '../rules/listener.ts';
import { memberDiscountPct } from '../rules/members.ts';
import { cashierRoutes } from '../cashier/routes.ts';
import { inStoreListener } from '../cashier/charges.ts';
import { commerceConfigFromEnv } from '../orders/config.ts';
import { privacyRoutes } from '../privacy/routes.ts';
import { accountData, ledgerData } from '../privacy/core-data.ts';
import { commerceData } from '../privacy/commerce-data.ts';
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
 * The server's capabilities, in the order their order listeners, ledger observers and
 * transaction hooks run. `buildRegistry(MODULES)` (app/registry.ts) turns the table into
 * the registry that the HTTP app, the job runner and the CLI are given.
 */
export const MODULES: readonly Module[] = [
  ledgerModule,
  { name: 'auth', routes: authRoutes, personalData: [accountData, ledgerData, commerceData] },
  {
    name: 'privacy',
    routes: (app, deps) => privacyRoutes(() => deps.registry.personalData)(app, deps),
  },
  { name: 'users', routes: userRoutes },
  { name: 'admin', routes: adminRoutes },
  { name: 'catalog', routes: catalogRoutes },
  { name: 'maintenance', jobs: maintenanceJobs },
  {
    name: 'rules',
    routes: rulesRoutes,
    // the rule engine hears every order event in the order's own transaction; it runs
    // before the till (the payment joins its queues first)
    orderListeners: [rulesListener],
    // the member discount at checkout is the buyer's level's, under the rules in force
    checkout: { memberDiscountPct },
  },
  {
    name: 'rewards',
    routes: rulesShopperRoutes,
    personalData: [pointsLotsData],
    jobs: () => ({ ...clearingJobs(), ...poolJobs(), ...pointsExpiryJobs() }),
    // points lots follow every posted points transfer, in its transaction
    ledgerObservers: [pointsLotsObserver],
  },
  { name: 'reward-review', routes: rewardReviewRoutes },
  {
    name: 'cashier',
    routes: cashierRoutes,
    // an in-store payment completes the order at the till
    orderListeners: [inStoreListener(() => commerceConfigFromEnv())],
  },
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
