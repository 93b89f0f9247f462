import { randomUUID } from 'node:crypto';
import type { ReplayClaim, ReplayStore } from '@caleida/verify';
import { checkPool, DEFAULT_TABLE, type PgQueryable, quoteTable } from './pg-queryable.js';

/** Options of `createPostgresReplayStore()`. */
export interface PostgresReplayStoreOptions {
  /** Your `pg` Pool. The table must exist: run `migrate(pool)` or `caleida-replay-migrate` once. */
  pool: PgQueryable;
  /** The table made by `migrate()`. Default `'caleida_replay_ids'`. */
  table?: string;
  /** Runs `cleanup()` this often, in seconds; off by default (call `cleanup()` from your own job). */
  cleanupIntervalSeconds?: number;
  /** Most rows one cleanup statement deletes, so it never holds locks on a large part of the table. Default 1,000. */
  cleanupBatchSize?: number;
}

/** A replay store in PostgreSQL, with the cleanup of expired rows. */
export interface PostgresReplayStore extends ReplayStore {
  /** Deletes expired rows in batches of `cleanupBatchSize`; resolves to how many it deleted. */
  cleanup(): Promise<number>;
  /** Stops the cleanup interval, if any. The pool is yours to end. */
  close(): void;
}

const IN_FLIGHT: ReplayClaim = Object.freeze({ state: 'in_flight' });
const DONE: ReplayClaim = Object.freeze({ state: 'processed' });

/**
 * A replay store in PostgreSQL, shared by every instance of your receiver. A claim is one
 * `INSERT … ON CONFLICT DO UPDATE … WHERE <expired>` that takes the row only when it is free or its
 * lease or retention has ended; settling compares the claim's token. Times come from the database's
 * clock, so instances with skewed clocks agree.
 *
 * @param options.pool your pg Pool
 * @param options.table the store's table, default `'caleida_replay_ids'`
 * @param options.cleanupIntervalSeconds run `cleanup()` on an interval, default off
 * @param options.cleanupBatchSize rows per cleanup statement, default 1,000
 * @example
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate(pool); // once, at deploy time
 * app.post('/webhooks/caleida', caleidaWebhook({ secret, replayStore: createPostgresReplayStore({ pool }) }));
 */
export function createPostgresReplayStore({
  pool,
  table = DEFAULT_TABLE,
  cleanupIntervalSeconds,
  cleanupBatchSize = 1_000,
}: PostgresReplayStoreOptions): PostgresReplayStore {
  checkPool(pool);
  const t = quoteTable(table);
  if (!(Number.isInteger(cleanupBatchSize) && cleanupBatchSize > 0)) {
    throw new TypeError(
      `@caleida/replay-store-postgres: cleanupBatchSize must be a positive integer, got ${String(cleanupBatchSize)}.`,
    );
  }
  if (
    cleanupIntervalSeconds !== undefined &&
    !(Number.isFinite(cleanupIntervalSeconds) && cleanupIntervalSeconds > 0)
  ) {
    throw new TypeError(
      `@caleida/replay-store-postgres: cleanupIntervalSeconds must be a positive number of seconds, got ${String(cleanupIntervalSeconds)}.`,
    );
  }
  // The second SELECT reads the snapshot from before the INSERT: the row that made it fail, if any.
  // No row there while the INSERT did not take it means a concurrent claim won: in flight.
  const claimSql = `WITH claimed AS (
      INSERT INTO ${t} AS r (id, token, expires_at)
      VALUES ($1, $2, now() + $3::double precision * interval '1 second')
      ON CONFLICT (id) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at
      WHERE r.expires_at <= now()
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM claimed) AS claimed,
      (SELECT token IS NULL FROM ${t} WHERE id = $1) AS processed`;
  // Marks processed when our token still holds the row, or nobody does (lapsed, or cleaned up).
  const completeSql = `INSERT INTO ${t} AS r (id, token, expires_at)
    VALUES ($1, NULL, now() + $3::double precision * interval '1 second')
    ON CONFLICT (id) DO UPDATE SET token = NULL, expires_at = excluded.expires_at
    WHERE r.token = $2::text OR r.expires_at <= now()`;
  const releaseSql = `DELETE FROM ${t} WHERE id = $1 AND token = $2`;
  const cleanupSql = `DELETE FROM ${t} WHERE ctid IN (
      SELECT ctid FROM ${t} WHERE expires_at <= now() LIMIT $1
    )`;

  const store: PostgresReplayStore = {
    async claim(id, { leaseSeconds }) {
      const token = randomUUID();
      const { rows } = await pool.query(claimSql, [id, token, leaseSeconds]);
      const row = rows[0] as { claimed: boolean; processed: boolean | null };
      if (row.claimed) return { state: 'new', token };
      return row.processed === true ? DONE : IN_FLIGHT;
    },
    async complete(id, token, { retentionSeconds }) {
      await pool.query(completeSql, [id, token, retentionSeconds]);
    },
    async release(id, token) {
      await pool.query(releaseSql, [id, token]);
    },
    async cleanup() {
      let deleted = 0;
      for (;;) {
        const { rowCount } = await pool.query(cleanupSql, [cleanupBatchSize]);
        deleted += rowCount ?? 0;
        if ((rowCount ?? 0) < cleanupBatchSize) return deleted;
      }
    },
    close() {
      if (timer) clearInterval(timer);
    },
  };
  const timer =
    cleanupIntervalSeconds === undefined
      ? undefined
      : setInterval(() => {
          // A failed cleanup is retried at the next tick; expired rows are ignored by claims anyway.
          store.cleanup().catch(() => {});
        }, cleanupIntervalSeconds * 1000);
  timer?.unref();
  return store;
}
