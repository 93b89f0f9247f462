import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import { MAIN_AUTOCHECKPOINT_PAGES } from '../storage/background-checkpoint.js';
import type { AttemptOutcome, DeliveryStatus } from '../storage/delivery-store.js';
import type { EventRecord } from '../storage/event-store.js';
import { BUSY_TIMEOUT_MS } from '../storage/open-database.js';
import { WRITE_SQL } from '../storage/write-statements.js';
import { encodeOutcomes } from './encode-outcomes.js';
import { StorageWriterError } from './storage-writer-error.js';
import { WRITER_SOURCE } from './writer-source.js';

/** An event and its new deliveries, as one trigger writes them. */
export interface TriggerRows {
  event: EventRecord;
  status: Extract<DeliveryStatus, 'pending' | 'in_flight'>;
  nextAttemptAt: number;
  deliveryIds: readonly string[];
  webhookIds: readonly string[];
}

/** The writer thread of one database file; see `startSqliteWriter()`. */
export interface SqliteWriter {
  /** Stores an event and its deliveries; resolves true once committed, false when the event id is taken. */
  insertTrigger(rows: TriggerRows): Promise<boolean>;
  /** Writes attempts and their deliveries' new status; resolves once committed. */
  recordAttempts(outcomes: readonly AttemptOutcome[], now: number): Promise<void>;
  /** Commits what was handed over, then ends the thread; later writes fail with `writer_closed`. */
  close(): Promise<void>;
  /** The thread itself (its `threadId`, or `terminate()` in tests). */
  readonly worker: Worker;
}

interface Waiting {
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/**
 * Starts one writer thread for the database file at `path` (already opened and migrated): a worker
 * with its own better-sqlite3 connection that runs every trigger and attempt-result write, so their
 * commits leave the event loop. Writes handed over during one event-loop turn go in one message, and
 * the thread commits what it has received in one transaction (a group commit), answering each write
 * only once it is committed: a caller that awaits it has its rows on disk, and the main connection's
 * next read sees them (WAL readers see every commit made before their read starts).
 *
 * A locked database fails the write with the SQLite error (`SQLITE_BUSY`), as the main connection
 * would. A thread that dies is logged once, and every write then fails with `StorageWriterError`
 * (`writer_stopped`), which storage counts as broken: never a caller left waiting.
 *
 * @example
 * const writer = startSqliteWriter({ path: '.caleida/mock.db', log: app.log });
 * const stored = await writer.insertTrigger(rows);
 * await writer.close();
 */
export function startSqliteWriter({
  path,
  log,
}: {
  path: string;
  log: Pick<FastifyBaseLogger, 'error'>;
}): SqliteWriter {
  const worker = new Worker(WRITER_SOURCE, {
    eval: true,
    // Nothing of the parent's flags: a loader such as tsx would only slow the thread's start.
    execArgv: [],
    workerData: {
      path,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      autocheckpointPages: MAIN_AUTOCHECKPOINT_PAGES,
      sql: WRITE_SQL,
    },
  });
  // Held by the process only while it has writes to answer.
  worker.unref();
  let ops: unknown[] = [];
  let waiting: Waiting[] = [];
  // One entry per message sent and not answered yet, in order.
  const sent: Waiting[][] = [];
  let gone: StorageWriterError | undefined;
  let closing = false;
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  function send(): void {
    if (ops.length === 0 || gone) return;
    if (sent.length === 0) worker.ref();
    sent.push(waiting);
    worker.postMessage(ops);
    ops = [];
    waiting = [];
  }

  function enqueue(op: unknown): Promise<unknown> {
    if (gone) return Promise.reject(gone);
    if (closing) {
      return Promise.reject(
        new StorageWriterError(
          'writer_closed',
          'The mock server is closing; its storage takes no more writes.',
        ),
      );
    }
    return new Promise((resolve, reject) => {
      // At the end of this turn: every write of the turn goes in one message.
      if (ops.length === 0) setImmediate(send);
      ops.push(op);
      waiting.push({ resolve, reject });
    });
  }

  worker.on('message', (message: unknown) => {
    if (message === 'ready') return;
    const batch = sent.shift() ?? [];
    if (sent.length === 0) worker.unref();
    const results = message as unknown[];
    for (const [index, item] of batch.entries()) {
      const result = results[index];
      if (typeof result === 'number') item.resolve(result);
      else item.reject(sqliteError(result as { code: string; message: string }));
    }
  });

  function stopped(cause: unknown): void {
    if (gone) return;
    gone = new StorageWriterError(
      'writer_stopped',
      `The database writer thread stopped (${(cause as Error)?.message ?? cause}); restart the mock server.`,
      { cause },
    );
    log.error(
      { err: cause },
      `storage writer thread stopped: ${gone.message} Writes answer storage_unavailable.`,
    );
    for (const batch of sent.splice(0)) for (const item of batch) item.reject(gone);
    for (const item of waiting.splice(0)) item.reject(gone);
    ops = [];
  }

  worker.on('error', stopped);
  worker.on('exit', (code) => {
    exited = true;
    if (!closing) stopped(new Error(`it exited with code ${code}`));
    // Closing: anything still unanswered was never committed.
    else if (sent.length > 0 || waiting.length > 0) stopped(new Error('it exited before answering'));
  });

  return {
    worker,
    insertTrigger({ event, status, nextAttemptAt, deliveryIds, webhookIds }) {
      const op = [
        0,
        event.id,
        event.type,
        event.timestamp,
        event.body,
        event.createdAt,
        status,
        nextAttemptAt,
        deliveryIds,
        webhookIds,
      ];
      return enqueue(op).then((result) => result === 1);
    },
    recordAttempts(outcomes, now) {
      return enqueue(encodeOutcomes(outcomes, now)).then(() => undefined);
    },
    async close() {
      if (closing) return exit;
      closing = true;
      if (!exited && !gone) {
        send();
        worker.ref();
        worker.postMessage('close');
      }
      if (!exited) await exit;
    },
  };
}

/** A failure reported by the thread, with its SQLite code, so `storageFailure()` classifies it. */
function sqliteError({ code, message }: { code: string; message: string }): Error {
  return Object.assign(new Error(message), { code });
}
