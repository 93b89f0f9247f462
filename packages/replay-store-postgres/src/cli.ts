#!/usr/bin/env node
import { migrate } from './migrate.js';

const USAGE = `Usage: caleida-replay-migrate [--table <name>] [--url <postgres-url>]
Creates the replay table of @caleida/replay-store-postgres (default caleida_replay).
The connection comes from --url, else DATABASE_URL, else the PG* environment variables.`;

/** Parses the arguments, runs the migration, and returns the exit code. */
async function main(args: string[]): Promise<number> {
  let table: string | undefined;
  let url = process.env.DATABASE_URL;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    }
    if ((arg === '--table' || arg === '--url') && args[i + 1] !== undefined) {
      if (arg === '--table') table = args[++i];
      else url = args[++i];
      continue;
    }
    console.error(`caleida-replay-migrate: unknown or incomplete argument ${JSON.stringify(arg)}.\n${USAGE}`);
    return 2;
  }
  let Pool: typeof import('pg').Pool;
  try {
    ({ Pool } = (await import('pg')).default);
  } catch {
    console.error('caleida-replay-migrate needs the pg package next to it: npm install pg');
    return 1;
  }
  const pool = new Pool(url ? { connectionString: url } : {});
  try {
    await migrate(pool, { table });
    console.log(`caleida-replay-migrate: table ${table ?? 'caleida_replay'} is ready.`);
    return 0;
  } catch (error) {
    console.error(`caleida-replay-migrate: ${(error as Error).message}`);
    return 1;
  } finally {
    await pool.end();
  }
}

process.exitCode = await main(process.argv.slice(2));
