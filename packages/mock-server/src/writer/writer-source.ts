/**
 * The writer thread's program: plain CommonJS run with `eval`, so there is no file to find next to
 * this one, whether the package runs from `src` (tsx) or from `dist`.
 *
 * It opens its own connection on the file and, for each batch of operations it is sent, runs them
 * in one transaction; operations that arrive while it is busy share the next one. It answers every
 * batch with one message `[results]`, one result per operation in order: `1`/`0` for a trigger
 * (stored / id taken), `0` for outcomes, or `{ code, message }` when that operation failed.
 * The statements it shares with the event loop's connection come as `workerData.sql` (`WRITE_SQL`).
 * Operations are plain arrays (cheaper to clone than objects):
 * - `[0, eventId, type, timestamp, body, createdAt, status, nextAttemptAt, deliveryIds, webhookIds]`
 * - `[1, now, ...13 values per outcome]` (see `encodeOutcomes()`).
 * The message `'close'` makes it close its connection and exit once what it holds is committed.
 */
export const WRITER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
db.pragma('wal_autocheckpoint = ' + workerData.autocheckpointPages);
const insertEvent = db.prepare(
  'INSERT OR IGNORE INTO events (id, type, timestamp, body, created_at) VALUES (?, ?, ?, ?, ?)');
const insertDelivery = db.prepare(workerData.sql.insertDelivery);
const insertAttempt = db.prepare(workerData.sql.insertAttempt);
const finishAttempt = db.prepare(workerData.sql.finishAttempt);
const OUTCOME_FIELDS = 13;

function run(op) {
  if (op[0] === 0) {
    const [, id, type, timestamp, body, createdAt, status, nextAttemptAt, deliveryIds, webhookIds] = op;
    if (insertEvent.run(id, type, timestamp, body, createdAt).changes === 0) return 0;
    for (let i = 0; i < deliveryIds.length; i++) {
      insertDelivery.run(deliveryIds[i], id, webhookIds[i], type, status, nextAttemptAt, createdAt, createdAt);
    }
    return 1;
  }
  const now = op[1];
  for (let i = 2; i < op.length; i += OUTCOME_FIELDS) {
    insertAttempt.run(op[i], op[i + 1], op[i + 2], op[i + 3], op[i + 4], op[i + 5], op[i + 6], op[i + 7], op[i + 8], op[i + 9], op[i + 10]);
    finishAttempt.run(op[i + 11], op[i + 1], op[i + 12], now, op[i]);
  }
  return 0;
}

const runAll = db.transaction((ops) => ops.map(run));
const BUSY = /^SQLITE_(BUSY|LOCKED)/;
const failure = (error) => ({ code: typeof error.code === 'string' ? error.code : 'ERR_WRITER', message: String(error.message) });

let queue = [];
let sizes = [];
let closing = false;

function flush() {
  const ops = queue;
  const counts = sizes;
  queue = [];
  sizes = [];
  let results;
  try {
    results = runAll(ops);
  } catch (error) {
    if (BUSY.test(error.code)) {
      // Locked by another connection: nobody is to blame; every caller retries in its own time.
      const failed = failure(error);
      results = ops.map(() => failed);
    } else {
      // One operation is at fault (a constraint, a full disk): commit each on its own to find it.
      results = ops.map((op) => {
        try {
          return db.transaction(run)(op);
        } catch (error) {
          return failure(error);
        }
      });
    }
  }
  let at = 0;
  for (const count of counts) {
    parentPort.postMessage(results.slice(at, at + count));
    at += count;
  }
  if (closing) finish();
}

function finish() {
  try { db.close(); } catch {}
  parentPort.close();
}

parentPort.on('message', (message) => {
  if (message === 'close') {
    closing = true;
    if (queue.length === 0) finish();
    return;
  }
  // Batches that arrive while a commit runs share the next one.
  if (queue.length === 0) setImmediate(flush);
  for (const op of message) queue.push(op);
  sizes.push(message.length);
});
parentPort.postMessage('ready');
`;
