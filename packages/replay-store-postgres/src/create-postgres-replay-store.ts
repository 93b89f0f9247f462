import { randomBytes } from 'node:crypto';
import type { ReplayClaim, ReplayStore } from '@caleida/verify';
import { checkPool, DEFAULT_TABLE, type Queryable, quoteTable } from './queryable.js';

/** Options of `createPostgresReplayStore()`. */
export interface PostgresReplayStoreOptions {
  /** Your `pg` Pool. The store never ends it. */
  pool: Queryable;
  /** The table made by `migrate()`. Default `caleida_replay`. */
  table?: string;
  /**
   * Delete expired rows every so many milliseconds, in bounded batches; `0` (default) never does,
   * and you call `cleanup()` yourself (a cron job, say). The timer does not keep the process alive.
   */
  cleanupIntervalMs?: number;
  /** Rows deleted per statement by a cleanup. Default 1,000. */
  cleanupBatchSize?: number;
}

/** A replay store in PostgreSQL, with a cleanup of expired rows. */
export interface PostgresReplayStore extends ReplayStore {
  /**
   * Deletes expired rows, `batchSize` per statement, until none are left or `maxBatches` ran, so it
   * never holds long locks. Resolves to the number of rows deleted.
   */
  cleanup(options?: { batchSize?: number; maxBatches?: number }): Promise<number>;
  /** Stops the cleanup interval, if any. */
  stop(): void;
}

const IN_FLIGHT: ReplayClaim = Object.freeze({ state: 'in_flight' });
const PROCESSED: ReplayClaim = Object.freeze({ state: 'processed' });

/**
 * A replay store in one PostgreSQL table, shared by every instance of your receiver. Times come
 * from the database's clock, so instances with skewed clocks agree. Create the table first with
 * `migrate(pool)` or `npx caleida-replay-migrate`.
 *
 * @example
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * app.post('/webhooks', caleidaWebhook({ secret, replayStore: createPostgresReplayStore({ pool }) }));
 */
export function createPostgresReplayStore({
  pool,
  table = DEFAULT_TABLE,
  cleanupIntervalMs = 0,
  cleanupBatchSize = 1_000,
}: PostgresReplayStoreOptions): PostgresReplayStore {
  checkPool(pool);
  const t = quoteTable(table);
  if (!(Number.isInteger(cleanupBatchSize) && cleanupBatchSize > 0)) {
    throw new TypeError(
      `@caleida/replay-store-postgres: cleanupBatchSize must be a positive integer, got ${String(cleanupBatchSize)}.`,
    );
  }
  if (!(Number.isFinite(cleanupIntervalMs) && cleanupIntervalMs >= 0)) {
    throw new TypeError(
      `@caleida/replay-store-postgres: cleanupIntervalMs must be 0 (off) or a number of milliseconds, got ${String(cleanupIntervalMs)}.`,
    );
  }
  // The insert wins when the id is new or its row expired; otherwise the row as it was before this
  // statement says whether it is processed (null: a claim inserted concurrently, so in flight).
  const claimSql = `
    WITH claimed AS (
      INSERT INTO ${t} AS r (id, token, processed, expires_at)
      VALUES ($1, $2, false, now() + make_interval(secs => $3))
      ON CONFLICT (id) DO UPDATE
        SET token = excluded.token, processed = false, expires_at = excluded.expires_at
        WHERE r.expires_at <= now()
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM claimed) AS claimed,
           (SELECT processed FROM ${t} WHERE id = $1 AND expires_at > now()) AS processed`;
  const completeSql = `
    INSERT INTO ${t} AS r (id, token, processed, expires_at)
    VALUES ($1, NULL, true, now() + make_interval(secs => $3))
    ON CONFLICT (id) DO UPDATE
      SET token = NULL, processed = true, expires_at = excluded.expires_at
      WHERE (r.token = $2 AND NOT r.processed) OR r.expires_at <= now()`;
  const releaseSql = `DELETE FROM ${t} WHERE id = $1 AND token = $2 AND NOT processed`;
  const cleanupSql = `
    DELETE FROM ${t} WHERE ctid IN (SELECT ctid FROM ${t} WHERE expires_at <= now() LIMIT $1)`;

  const cleanup: PostgresReplayStore['cleanup'] = async ({
    batchSize = cleanupBatchSize,
    maxBatches = Number.POSITIVE_INFINITY,
  } = {}) => {
    let deleted = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const { rowCount } = await pool.query(cleanupSql, [batchSize]);
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize) break;
    }
    return deleted;
  };

  let timer: ReturnType<typeof setInterval> | undefined;
  if (cleanupIntervalMs > 0) {
    let running = false;
    timer = setInterval(() => {
      if (running) return;
      running = true;
      cleanup()
        .catch(() => {
          // The next interval tries again; a store that stays down is reported by the receiver.
        })
        .finally(() => {
          running = false;
        });
    }, cleanupIntervalMs);
    timer.unref?.();
  }

  return {
    async claim(id, { leaseSeconds }) {
      const token = randomBytes(12).toString('base64url');
      const { rows } = await pool.query(claimSql, [id, token, leaseSeconds]);
      const row = rows[0] as { claimed: boolean; processed: boolean | null };
      if (row.claimed) return { state: 'new', token };
      return row.processed ? PROCESSED : IN_FLIGHT;
    },
    async complete(id, token, { retentionSeconds }) {
      await pool.query(completeSql, [id, token, retentionSeconds]);
    },
    async release(id, token) {
      await pool.query(releaseSql, [id, token]);
    },
    cleanup,
    stop() {
      clearInterval(timer);
    },
  };
}
