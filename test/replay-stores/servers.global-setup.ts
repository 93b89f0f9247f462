import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './support/postgres-server.js';
import { startRedisServer } from './support/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A real redis-server shared by the tests of this run (each test uses its own key prefix). */
    redisUrl: string;
    /** A real PostgreSQL shared by the tests of this run (each test uses its own table). */
    postgresUrl: string;
  }
}

/** Starts redis-server and PostgreSQL once for the run, and stops them after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [redis, postgres] = await Promise.all([startRedisServer(), startPostgresServer()]);
  project.provide('redisUrl', redis.url);
  project.provide('postgresUrl', postgres.url);
  return async () => {
    await Promise.all([redis.stop(), postgres.stop()]);
  };
}
