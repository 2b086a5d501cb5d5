import { defineConfig } from 'vitest/config';

// Unit tests: *.test.ts (no database). Integration tests: *.int.test.ts — they open a
// fresh database per file: PGlite in memory by default, PostgreSQL when DATABASE_URL is set.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'packages/web-common/build/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
