import { defineConfig } from 'vitest/config';

/** Browser tests (headless Chromium through playwright-core): `pnpm test:e2e`. */
export default defineConfig({
  resolve: { conditions: ['@caleida/source'] },
  ssr: { resolve: { conditions: ['@caleida/source'] } },
  test: {
    name: 'e2e',
    include: ['packages/*/test/e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
