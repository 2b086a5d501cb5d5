export * from './accounts.ts';
export * from './transfers.ts';
export * from './verify.ts';
