import type { Db } from './open-database.js';
import { storageFailure } from './storage-failure.js';

/** Runs `work` in the next shared transaction; resolves with its result once that commit is done. */
export type GroupCommit = <T>(work: () => T) => Promise<T>;

const shared = new WeakMap<Db, GroupCommit>();

/**
 * The database's group commit: work handed to it during one event-loop turn runs in one shared
 * transaction at the end of that turn, so N concurrent writers pay for one commit (a commit writes
 * every page its rows dirtied to the WAL and costs more than the inserts it carries). Nothing
 * resolves before the commit, so a caller that answers after awaiting it has its write on disk, as
 * with a transaction of its own. When a piece of work throws, the shared transaction is rolled back
 * and every piece is run again in a transaction of its own, so only the one that threw fails; when
 * the database is locked by another connection, every piece fails with that error (`SQLITE_BUSY`).
 *
 * One per database (callers that ask for the same `db` share it), so triggers and attempt results
 * written in the same turn share a commit too.
 *
 * @example
 * const commit = groupCommit(db);
 * const stored = await commit(() => events.insert(event));
 */
export function groupCommit(db: Db): GroupCommit {
  let commit = shared.get(db);
  if (!commit) {
    commit = createGroupCommit(db);
    shared.set(db, commit);
  }
  return commit;
}

interface Queued {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

function createGroupCommit(db: Db): GroupCommit {
  let queue: Queued[] = [];
  const runAll = db.transaction((batch: Queued[]) => batch.map((item) => item.work()));

  function flush(): void {
    const batch = queue;
    queue = [];
    let results: unknown[];
    try {
      results = runAll(batch);
    } catch (error) {
      // Locked by another connection: no piece is to blame, and trying each again would only wait
      // for the lock once per piece. Every caller gets the error and retries in its own time.
      if (storageFailure(error) === 'busy') {
        for (const item of batch) item.reject(error);
        return;
      }
      // Rare (a bug or a full disk): find the culprit by committing each piece on its own.
      for (const item of batch) {
        try {
          item.resolve(db.transaction(item.work)());
        } catch (error) {
          item.reject(error);
        }
      }
      return;
    }
    for (const [index, item] of batch.entries()) item.resolve(results[index]);
  }

  return <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      // At the end of this turn: every writer of the turn gets in, and nobody waits longer.
      if (queue.length === 0) setImmediate(flush);
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
}
