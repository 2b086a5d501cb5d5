import { defineConfig } from 'vitest/config';

// Unit tests: *.test.ts (no database). Integration tests: *.int.test.ts — they open a
// fresh database per file: PGlite in memory by default, PostgreSQL when DATABASE_URL is set.
// Each is a copy of a migrated snapshot the global setup makes once (FANLI_TEST_SNAPSHOT=0
// migrates every one from empty instead).
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'packages/web-common/build/*.test.ts',
      'scripts/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['packages/server/test/global-setup.ts'],
  },
});
