import { checkPool, DEFAULT_TABLE, type Queryable, quoteTable } from './queryable.js';

/** Options of `migrate()`. */
export interface MigrateOptions {
  /** The table to create. Default `caleida_replay`. */
  table?: string;
}

/**
 * Creates the replay table and its expiry index if they do not exist. Run it once at deploy time
 * (or `npx caleida-replay-migrate`), not on each request; running it again is harmless.
 *
 * @example
 * await migrate(pool);
 */
export async function migrate(
  pool: Queryable,
  { table = DEFAULT_TABLE }: MigrateOptions = {},
): Promise<void> {
  checkPool(pool);
  const name = quoteTable(table);
  const index = `"${table.replace('.', '_')}_expires_at"`;
  // One statement: pg runs it in one implicit transaction, and the advisory lock keeps two instances
  // migrating at once from colliding on CREATE TABLE IF NOT EXISTS.
  await pool.query(`
    SELECT pg_advisory_xact_lock(hashtext('caleida_replay_migrate'));
    CREATE TABLE IF NOT EXISTS ${name} (
      id text PRIMARY KEY,
      token text,
      processed boolean NOT NULL DEFAULT false,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${index} ON ${name} (expires_at);
  `);
}
