import { defineConfig } from 'vitest/config';

const packages = [
  'verify',
  'express-middleware',
  'koa-middleware',
  'fastify-plugin',
  'mock-server',
  'simulator',
  'nestjs',
];

// redis-server and PostgreSQL, started once for the projects whose tests use a shared replay store.
const replayStoreServers = './test/replay-stores/servers.global-setup.ts';

/** One vitest project per package, plus the cross-package contract tests in test/. Browser tests: vitest.e2e.config.ts. */
export default defineConfig({
  resolve: { conditions: ['@caleida/source'] },
  ssr: { resolve: { conditions: ['@caleida/source'] } },
  test: {
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: { name, include: [`packages/${name}/test/**/*.test.ts`], exclude: ['**/test/e2e/**'] },
      })),
      ...['replay-store-redis', 'replay-store-postgres'].map((name) => ({
        extends: true as const,
        test: { name, include: [`packages/${name}/test/**/*.test.ts`], globalSetup: [replayStoreServers] },
      })),
      {
        extends: true as const,
        test: {
          name: 'replay-stores',
          include: ['test/replay-stores/**/*.test.ts'],
          globalSetup: [replayStoreServers],
        },
      },
      {
        extends: true as const,
        test: {
          name: 'contract',
          include: ['test/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'test/replay-stores/**'],
          globalSetup: [replayStoreServers],
        },
      },
      {
        extends: true as const,
        test: { name: 'nextjs-example', include: ['examples/nextjs/test/**/*.test.ts'] },
      },
    ],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
