import { StorageWriterError } from '../writer/storage-writer-error.js';

/** How a storage call failed: the database is locked by another connection, or it cannot be used. */
export type StorageFailure = 'busy' | 'broken';

// SQLite result codes that say the file, the disk or its locks failed, not the statement:
// https://www.sqlite.org/rescode.html
const BUSY = /^SQLITE_(BUSY|LOCKED)/;
const BROKEN = /^SQLITE_(IOERR|FULL|CORRUPT|NOTADB|READONLY|CANTOPEN|PROTOCOL|NOLFS|NOMEM)/;

/**
 * What kind of storage failure `error` is, or undefined when it is not one (a bug, a constraint).
 *
 * @example
 * if (storageFailure(error) === 'busy') retryLater();
 */
export function storageFailure(error: unknown): StorageFailure | undefined {
  // The writer thread is gone: no write can succeed until the server restarts.
  if (error instanceof StorageWriterError) return 'broken';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (BUSY.test(code)) return 'busy';
  if (BROKEN.test(code)) return 'broken';
  return undefined;
}
