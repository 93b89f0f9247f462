import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MockServerError } from '../mock-server-error.js';

/** This process's hold on a database file; `release()` lets the next server have it. */
export interface DatabaseLock {
  /** The lock file, beside the database. */
  readonly path: string;
  release(): void;
}

// Files this process holds: a second server in the same process finds its own pid in the lock file
// and must be refused too.
const heldHere = new Set<string>();

/**
 * Makes this process the only server on the database at `dbPath`: creates `<dbPath>.lock` holding
 * this pid, refusing with `MockServerError('database_in_use')` when a live process holds it. A lock
 * left by a process that died (kill -9) is taken over.
 *
 * @example
 * const lock = acquireDatabaseLock('.caleida/mock.db');
 * try { ... } finally { lock.release(); }
 */
export function acquireDatabaseLock(dbPath: string): DatabaseLock {
  const path = `${resolve(dbPath)}.lock`;
  if (heldHere.has(path)) throw inUse(dbPath, process.pid, path);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw unavailable(dbPath, error as Error);
  }
  // Two tries: the second after removing a lock whose process is gone.
  for (let tries = 0; tries < 2; tries++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unavailable(dbPath, error as Error);
      const holder = readHolder(path);
      if (holder !== undefined && holder !== process.pid && isAlive(holder))
        throw inUse(dbPath, holder, path);
      // Empty (its writer died between create and write), dead, or this very pid left over from a
      // process that had it before: stale.
      removeStale(path);
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    heldHere.add(path);
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        heldHere.delete(path);
        // Only our own file: never remove a lock a later server took after a stale takeover.
        if (readHolder(path) === process.pid) removeStale(path);
      },
    };
  }
  throw unavailable(dbPath, new Error(`${path} keeps reappearing`));
}

function readHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeStale(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function inUse(dbPath: string, pid: number, lockPath: string): MockServerError {
  const who = pid === process.pid ? `this process (pid ${pid})` : `process ${pid}`;
  return new MockServerError(
    'database_in_use',
    `The database at ${dbPath} is already used by another mock server in ${who}; stop it first, or pass another --db. If no mock server runs there, delete ${lockPath}.`,
  );
}

function unavailable(dbPath: string, error: Error): MockServerError {
  return new MockServerError(
    'database_unavailable',
    `Cannot open the database at ${dbPath}: cannot create its lock file (${error.message}). Pass --db with a writable file path, or --db :memory:.`,
  );
}
