import { loadConfig, migrate, openConfiguredDatabase } from '@fanli/server';

/** `fanli migrate`: applies pending migrations and exits. */
export async function run(): Promise<number> {
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    const applied = await migrate(database.db);
    process.stdout.write(
      applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n',
    );
    return 0;
  } finally {
    await database.close();
  }
}
