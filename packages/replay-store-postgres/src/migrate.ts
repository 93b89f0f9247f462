import { checkPool, DEFAULT_TABLE, type PgQueryable, quoteTable } from './pg-queryable.js';

/** Options of `migrate()`. */
export interface MigrateOptions {
  /** Table to create, optionally schema-qualified. Default `'caleida_replay_ids'`. */
  table?: string;
}

/**
 * Creates the store's table and its index if they do not exist yet; safe to run again. Run it once
 * at deploy time (or with the `caleida-replay-migrate` bin), not on each request.
 *
 * One row per event id: `token` holds the claim while in flight and is NULL once processed;
 * `expires_at` is the end of the lease, then of the retention.
 *
 * @example
 * await migrate(pool);
 */
export async function migrate(
  pool: PgQueryable,
  { table = DEFAULT_TABLE }: MigrateOptions = {},
): Promise<void> {
  checkPool(pool);
  const name = quoteTable(table);
  const index = `"${table.replace('.', '_')}_expires_at_idx"`;
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${name} (
      id text PRIMARY KEY,
      token text,
      expires_at timestamptz NOT NULL
    )`,
  );
  await pool.query(`CREATE INDEX IF NOT EXISTS ${index} ON ${name} (expires_at)`);
}
