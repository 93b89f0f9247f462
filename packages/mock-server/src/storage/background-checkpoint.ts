import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './open-database.js';

/** Stops a background checkpointer; see `startBackgroundCheckpoint()`. */
export interface BackgroundCheckpoint {
  /** Closes the worker's connection (waiting up to a second for a checkpoint under way), then ends it. */
  stop(): void;
}

/** How often the worker copies committed WAL frames into the database file. */
export const CHECKPOINT_INTERVAL_MS = 100;
/**
 * WAL pages at which a commit on the main connection still checkpoints by itself: a safety net for
 * when the worker cannot keep up (or is gone), so the WAL stays bounded. SQLite's default is 1,000;
 * above it the main connection seldom has to, as the worker has copied nearly everything already.
 */
export const MAIN_AUTOCHECKPOINT_PAGES = 4000;

// Plain CommonJS run with `eval`: no file to find next to this one, whether it runs from src or dist.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const state = new Int32Array(workerData.state);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
// Writes nothing but checkpoints: its own commits never happen, so this only sets how it syncs.
db.pragma('synchronous = NORMAL');
Atomics.store(state, 0, 1);
const timer = setInterval(() => {
  try {
    // PASSIVE never waits for the writer: it copies what is committed and leaves the rest for later.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Locked or failing storage: the main connection reports storage problems; try again later.
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try { db.close(); } catch {}
  Atomics.store(state, 0, 2);
  Atomics.notify(state, 0);
});
`;

/**
 * Moves WAL checkpoints off the event loop: a worker thread with its own connection copies committed
 * frames into the database file every `CHECKPOINT_INTERVAL_MS`, so commits on `db` no longer stop
 * for a checkpoint's copying and syncing (most of what a commit cost under load). Durability is
 * unchanged: a commit is in the WAL before it returns, exactly as before; a checkpoint only moves it.
 * Only for a file in WAL mode; returns undefined for `:memory:`.
 *
 * @example
 * const checkpoint = startBackgroundCheckpoint(db, '.caleida/mock.db');
 * // ... on shutdown, before db.close():
 * checkpoint?.stop();
 */
export function startBackgroundCheckpoint(db: Db, path: string): BackgroundCheckpoint | undefined {
  if (path === ':memory:' || db.memory) return undefined;
  const state = new SharedArrayBuffer(4);
  const flag = new Int32Array(state);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // Nothing of the parent's flags: a loader such as tsx would only slow the worker's start.
    execArgv: [],
    workerData: {
      path,
      state,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      intervalMs: CHECKPOINT_INTERVAL_MS,
    },
  });
  // A worker that fails to start leaves the main connection's own checkpoints to do the work.
  worker.on('error', () => {});
  worker.unref();
  db.pragma(`wal_autocheckpoint = ${MAIN_AUTOCHECKPOINT_PAGES}`);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      // Started: wait (bounded) for it to close its connection, so the file is free when this returns.
      if (Atomics.load(flag, 0) === 1) {
        worker.postMessage('stop');
        Atomics.wait(flag, 0, 1, 1000);
      }
      void worker.terminate();
    },
  };
}
