import type { Module } from '../app/registry.ts';
import { accountIdsAfterCommit } from './accounts.ts';
import { deferredWrites } from './deferred.ts';

/**
 * The ledger's part in every use-case transaction: the system accounts' balances are
 * written once, just before COMMIT, and the account ids it saw are cached once durable.
 * Without it the ledger still balances, writing each change at once and caching less.
 */
export const ledgerModule: Module = {
  name: 'ledger',
  txHooks: [deferredWrites, accountIdsAfterCommit],
};
