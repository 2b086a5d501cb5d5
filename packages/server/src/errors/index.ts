export * from './app-error.ts';
export * from './catalog.ts';
