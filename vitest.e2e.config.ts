import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: e2e/*.e2e.test.ts against the real server (fresh PGlite,
// demo seed, test clock) and the built shop and console, in headless Chromium.
// Run: npx vitest run --config vitest.e2e.config.ts   (docs/web.md)
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 240_000,
    // one server, one browser at a time: files run one after another
    fileParallelism: false,
    pool: 'forks',
  },
});
