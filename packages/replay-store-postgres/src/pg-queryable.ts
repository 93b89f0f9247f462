/** What the store needs of a `pg` Pool (or Client): `query(text, values)`. */
export interface PgQueryable {
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/** Default table of the store. */
export const DEFAULT_TABLE = 'caleida_replay_ids';

/** Checks a table name (optionally schema-qualified) and quotes it, as it goes into SQL text. */
export function quoteTable(table: unknown): string {
  if (
    typeof table !== 'string' ||
    !/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/.test(table)
  ) {
    throw new TypeError(
      `@caleida/replay-store-postgres: table must be a plain table name such as "caleida_replay_ids" or "webhooks.replay_ids" (letters, digits, underscores), got ${JSON.stringify(table)}.`,
    );
  }
  return table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

/** Checks that `pool` can run queries. */
export function checkPool(pool: unknown): asserts pool is PgQueryable {
  if (typeof (pool as PgQueryable | null)?.query !== 'function') {
    throw new TypeError(
      '@caleida/replay-store-postgres: pool must be a pg Pool, e.g. new pg.Pool({ connectionString: process.env.DATABASE_URL }).',
    );
  }
}
