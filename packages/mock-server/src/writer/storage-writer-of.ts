import type { Db } from '../storage/open-database.js';
import type { SqliteWriter } from './start-sqlite-writer.js';

const writers = new WeakMap<Db, SqliteWriter>();

/**
 * The writer thread that takes `db`'s trigger and attempt-result writes, or undefined when they run
 * on `db` itself (an in-memory database: a thread cannot share it). Set once by the server that
 * owns `db`, so every route that holds `db` finds it.
 *
 * @example
 * const writer = storageWriterOf(db);
 * const stored = writer ? await writer.insertTrigger(rows) : await groupCommit(db)(write);
 */
export function storageWriterOf(db: Db): SqliteWriter | undefined {
  return writers.get(db);
}

/** Hands `db`'s trigger and attempt-result writes to `writer`; see `storageWriterOf()`. */
export function useStorageWriter(db: Db, writer: SqliteWriter): void {
  writers.set(db, writer);
}
