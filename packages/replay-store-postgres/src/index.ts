export {
  createPostgresReplayStore,
  type PostgresReplayStore,
  type PostgresReplayStoreOptions,
} from './create-postgres-replay-store.js';
export { type MigrateOptions, migrate } from './migrate.js';
export type { Queryable } from './queryable.js';
