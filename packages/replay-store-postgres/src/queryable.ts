/** The part of a `pg` Pool (or Client) this store uses. */
export interface Queryable {
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/** The default table, in the connection's search path. */
export const DEFAULT_TABLE = 'caleida_replay';

/** Checks a table name (optionally schema-qualified) and quotes it for SQL. */
export function quoteTable(table: string): string {
  if (
    typeof table !== 'string' ||
    !/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/.test(table)
  ) {
    throw new TypeError(
      `@caleida/replay-store-postgres: table must be a name of letters, digits and underscores (optionally schema.table), got ${JSON.stringify(table)}.`,
    );
  }
  return table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

export function checkPool(pool: Queryable): void {
  if (typeof pool?.query !== 'function') {
    throw new TypeError(
      '@caleida/replay-store-postgres: pool must be a pg Pool (new pg.Pool({ connectionString })).',
    );
  }
}
