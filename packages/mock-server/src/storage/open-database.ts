import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MockServerError } from '../mock-server-error.js';
import { MIGRATIONS } from './migrations.js';

/** The SQLite handle every store shares. */
export type Db = Database.Database;

/**
 * Opens (creating it and its folder if needed) the database at `path`, or an in-memory one for
 * `':memory:'`, and brings its schema up to date.
 */
export function openDatabase(path: string): Db {
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    // WAL: readers never wait for the writer. synchronous=NORMAL keeps every commit safe across a
    // killed process (the WAL is on disk before the commit returns); only power loss can drop the
    // last commits, which is an acceptable trade for a local mock.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new MockServerError(
      'database_unavailable',
      `Cannot open the database at ${path}: ${(error as Error).message}. Pass --db with a writable file path, or --db :memory:.`,
    );
  }
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new MockServerError(
      'database_unavailable',
      `The database was written by a newer @caleida/mock-server (schema ${version}, this one knows ${MIGRATIONS.length}); upgrade, or start with a new --db file.`,
    );
  }
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next] as string);
      db.pragma(`user_version = ${next + 1}`);
    })();
  }
}
