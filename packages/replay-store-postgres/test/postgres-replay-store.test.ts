import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { describeReplayStoreContract } from '../../../test/replay-stores/replay-store-contract.js';
import { postgresStore } from '../../../test/replay-stores/stores.js';
import { createPostgresReplayStore, migrate } from '../src/index.js';

describeReplayStoreContract(postgresStore);

describe('createPostgresReplayStore', () => {
  const pool = new pg.Pool({ connectionString: inject('postgresUrl'), max: 4 });
  afterAll(() => pool.end());

  it('migrate() creates the table once and can run again, also from several instances at once', async () => {
    await Promise.all([1, 2, 3].map(() => migrate(pool, { table: 'migrate_twice' })));
    await migrate(pool, { table: 'migrate_twice' });
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM migrate_twice`);
    expect(rows[0].n).toBe(0);
  });

  it('cleanup() deletes expired rows in bounded batches and keeps live ones', async () => {
    await migrate(pool, { table: 'cleanup_batches' });
    const store = createPostgresReplayStore({ pool, table: 'cleanup_batches' });
    await pool.query(
      `INSERT INTO cleanup_batches (id, processed, expires_at) SELECT 'old_' || g, true, now() - interval '1 s' FROM generate_series(1, 2500) g`,
    );
    const live = await store.claim('evt_live', { leaseSeconds: 60 });
    expect(live.state).toBe('new');
    expect(await store.cleanup({ batchSize: 1000, maxBatches: 2 })).toBe(2000);
    expect(await store.cleanup({ batchSize: 1000 })).toBe(500);
    const { rows } = await pool.query(`SELECT id FROM cleanup_batches`);
    expect(rows.map((row) => row.id)).toEqual(['evt_live']);
  });

  it('cleans up on an interval when asked to, until stop()', async () => {
    await migrate(pool, { table: 'cleanup_interval' });
    await pool.query(
      `INSERT INTO cleanup_interval (id, processed, expires_at) VALUES ('old', true, now() - interval '1 s')`,
    );
    const store = createPostgresReplayStore({ pool, table: 'cleanup_interval', cleanupIntervalMs: 50 });
    try {
      await vi.waitFor(
        async () => {
          const { rowCount } = await pool.query('SELECT 1 FROM cleanup_interval');
          if (rowCount !== 0) throw new Error('the interval cleanup did not run within 5 s');
        },
        { timeout: 5_000, interval: 25 },
      );
    } finally {
      store.stop();
    }
  });

  it('refuses a bad pool, table or cleanup option, saying what to pass', () => {
    expect(() => createPostgresReplayStore({ pool: {} as never })).toThrow(/pool must be a pg Pool/);
    expect(() => createPostgresReplayStore({ pool, table: 'x; DROP TABLE y' })).toThrow(
      /table must be a name/,
    );
    expect(() => createPostgresReplayStore({ pool, cleanupBatchSize: 0 })).toThrow(/cleanupBatchSize/);
  });

  it('the caleida-replay-migrate bin creates the table, and explains a bad argument', async () => {
    const run = promisify(execFile);
    const cli = new URL('../src/cli.ts', import.meta.url).pathname;
    const args = ['--conditions=@caleida/source', '--import', 'tsx', cli];
    const { stdout } = await run(process.execPath, [
      ...args,
      '--table',
      'from_cli',
      '--url',
      inject('postgresUrl'),
    ]);
    expect(stdout).toContain('from_cli is ready');
    expect((await pool.query('SELECT count(*) FROM from_cli')).rows).toHaveLength(1);
    await expect(run(process.execPath, [...args, '--nope'])).rejects.toMatchObject({ code: 2 });
  });
});
