#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { migrate } from './migrate.js';
import { DEFAULT_TABLE } from './pg-queryable.js';

const USAGE = `Usage: caleida-replay-migrate [--url postgres://…] [--table ${DEFAULT_TABLE}]
Creates the table of @caleida/replay-store-postgres (safe to run again).
The connection string comes from --url or DATABASE_URL.`;

async function main(): Promise<number> {
  let values: { url?: string; table?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { url: { type: 'string' }, table: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const connectionString = values.url ?? process.env.DATABASE_URL;
  if (!connectionString) {
    console.error(`No database given: pass --url or set DATABASE_URL.\n${USAGE}`);
    return 2;
  }
  let Pool: typeof import('pg').Pool;
  try {
    ({ Pool } = (await import('pg')).default);
  } catch {
    console.error('caleida-replay-migrate needs the pg package: npm install pg');
    return 1;
  }
  const pool = new Pool({ connectionString, max: 1 });
  try {
    await migrate(pool, { table: values.table ?? DEFAULT_TABLE });
    console.log(`Table ${values.table ?? DEFAULT_TABLE} is ready.`);
    return 0;
  } catch (error) {
    console.error(`caleida-replay-migrate: ${(error as Error).message}`);
    return 1;
  } finally {
    await pool.end();
  }
}

process.exitCode = await main();
