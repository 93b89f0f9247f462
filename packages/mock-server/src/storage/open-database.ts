import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MockServerError } from '../mock-server-error.js';
import { startBackgroundCheckpoint } from './background-checkpoint.js';
import { MIGRATIONS } from './migrations.js';
import { storageFailure } from './storage-failure.js';

/** The SQLite handle every store shares. */
export type Db = Database.Database;

/**
 * How long a statement waits for another connection's lock. Short: waiting blocks the event loop
 * (better-sqlite3 is synchronous), so the engine and the trigger retry on their own timers instead.
 */
export const BUSY_TIMEOUT_MS = 20;

/**
 * Opens (creating it and its folder if needed) the database at `path`, or an in-memory one for
 * `':memory:'`, checks it is not corrupt (`PRAGMA quick_check`) and brings its schema up to date.
 * Throws `MockServerError` (`database_unavailable`, `database_corrupt`) when it cannot be used.
 * A file database gets a background checkpointer (see `startBackgroundCheckpoint()`), ended by `db.close()`.
 */
export function openDatabase(path: string): Db {
  let db: Db | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    // WAL: readers never wait for the writer. synchronous=NORMAL keeps every commit safe across a
    // killed process (the WAL is on disk before the commit returns); only power loss can drop the
    // last commits, which is an acceptable trade for a local mock.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    check(db, path);
    migrate(db);
    stopCheckpointOnClose(db, startBackgroundCheckpoint(db, path));
    return db;
  } catch (error) {
    if (db?.open) db.close();
    throw openError(path, error as Error);
  }
}

/** Closing the database first ends its checkpoint worker, so the file is left to nobody. */
function stopCheckpointOnClose(db: Db, checkpoint: ReturnType<typeof startBackgroundCheckpoint>): void {
  if (!checkpoint) return;
  const close = db.close.bind(db);
  db.close = () => {
    checkpoint.stop();
    return close();
  };
}

function openError(path: string, error: Error & { code?: string }): MockServerError {
  if (error instanceof MockServerError) return error;
  if (error.code === 'SQLITE_CORRUPT' || error.code === 'SQLITE_NOTADB') return corrupt(path, error.message);
  if (storageFailure(error) === 'busy') {
    return new MockServerError(
      'database_unavailable',
      `The database at ${path} is locked by another connection; close it (a sqlite3 shell, another tool) and start again.`,
    );
  }
  return new MockServerError(
    'database_unavailable',
    `Cannot open the database at ${path}: ${error.message}. Pass --db with a writable file path, or --db :memory:.`,
  );
}

/** Refuses a damaged file now rather than failing on the first page that is read later. */
function check(db: Db, path: string): void {
  if (path === ':memory:') return;
  const problems = db.pragma('quick_check(1)', { simple: true }) as string;
  if (problems !== 'ok') throw corrupt(path, problems.split('\n').join(' '));
}

function corrupt(path: string, detail: string): MockServerError {
  return new MockServerError(
    'database_corrupt',
    `The database at ${path} is corrupt (${detail}); recover what it holds with the sqlite3 shell (sqlite3 ${path} .recover | sqlite3 recovered.db) and start with --db recovered.db, or start with a new --db file.`,
  );
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
