export { startServer, openConfiguredDatabase, type Running } from './server.ts';
export { MODULES } from './app/modules.ts';
export { buildRegistry } from './app/registry.ts';
export { loadConfig, type Config } from './config/config.ts';
export { migrate } from './db/migrate.ts';
export { seedDemo, DEMO_LOGINS } from './seed/demo.ts';
export { openDatabase, type Database, type Db } from './db/database.ts';
