import { migrate } from '@caleida/replay-store-postgres';
import pg from 'pg';
import { inject } from 'vitest';

/** Where receiver processes keep their claims: one key prefix in Redis, or one migrated table. */
export async function sharedStoreFor(
  kind: 'redis' | 'postgres',
  tag: string,
): Promise<{ url: string; prefix: string }> {
  if (kind === 'redis') return { url: inject('redisUrl'), prefix: `shared-${tag}:` };
  const table = `replay_shared_${tag}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const pool = new pg.Pool({ connectionString: inject('postgresUrl'), max: 1 });
  await migrate(pool, { table });
  await pool.end();
  return { url: inject('postgresUrl'), prefix: table };
}
