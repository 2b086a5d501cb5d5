import { DEMO_LOGINS, loadConfig, migrate, openConfiguredDatabase, seedDemo } from '@fanli/server';

/** `fanli seed`: loads the demo shop (once) and prints its logins. */
export async function run(): Promise<number> {
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    await migrate(database.db);
    const { created } = await seedDemo(database.db);
    process.stdout.write(created ? 'demo shop loaded\n' : 'demo shop was already there\n');
    for (const l of DEMO_LOGINS)
      process.stdout.write(`  ${l.role.padEnd(8)} ${l.phone} / ${l.password}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
