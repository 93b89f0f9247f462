import pg from 'pg';

/** A table in PostgreSQL where each handler run inserts its event id: side effects counted outside any receiver. */
export interface EffectsTable {
  readonly name: string;
  readonly pool: pg.Pool;
  /** How many times each id's handler ran. */
  runsById(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

/** Creates a fresh effects table. */
export async function createEffectsTable(url: string): Promise<EffectsTable> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const name = `effects_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await pool.query(`CREATE TABLE ${name} (id text NOT NULL, pid integer NOT NULL)`);
  return {
    name,
    pool,
    async runsById() {
      const { rows } = await pool.query(`SELECT id, count(*)::int AS runs FROM ${name} GROUP BY id`);
      return new Map(rows.map((row) => [row.id as string, row.runs as number]));
    },
    close: () => pool.end(),
  };
}
