import { afterEach, expect, it, vi } from 'vitest';
import { createOutcomeRecorder, OUTCOME_BATCH_MS } from '../src/delivery/outcome-recorder.js';
import { createStorageHealth } from '../src/delivery/storage-health.js';
import { type AttemptOutcome, createDeliveryStore } from '../src/storage/delivery-store.js';
import { groupCommit } from '../src/storage/group-commit.js';
import { type Db, openDatabase } from '../src/storage/open-database.js';

let db: Db | undefined;
afterEach(() => db?.close());

const silent = { warn() {}, error() {}, info() {} } as never;

function setup() {
  db = openDatabase(':memory:');
  const deliveries = createDeliveryStore(db);
  const ids = deliveries.insertNew(
    'evt_1',
    'chat',
    Array.from({ length: 10 }, () => 'wh_1'),
    'in_flight',
    Date.now(),
    Date.now(),
  );
  const batches: string[][] = [];
  const recorder = createOutcomeRecorder({
    deliveries: {
      recordAttempts(outcomes, now) {
        batches.push(outcomes.map((outcome) => outcome.deliveryId));
        deliveries.recordAttempts(outcomes, now);
      },
    },
    commit: groupCommit(db),
    health: createStorageHealth({ log: silent, retryMinMs: 10, retryMaxMs: 100 }),
    log: silent,
    onWritten() {},
  });
  return { deliveries, ids, batches, recorder };
}

const succeeded = (deliveryId: string): AttemptOutcome => ({
  deliveryId,
  status: 'succeeded',
  nextAttemptAt: null,
  attempt: {
    number: 1,
    startedAt: Date.now(),
    durationMs: 1,
    statusCode: 200,
    error: null,
    responseExcerpt: null,
    responseTruncated: false,
    requestHeaders: {},
    responseHeaders: {},
    firstByteMs: 1,
  },
});

it('add() writes outcomes that end in different event-loop turns a moment apart in a shared commit', async () => {
  const { deliveries, ids, batches, recorder } = setup();
  for (const id of ids) {
    recorder.add(succeeded(id));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await vi.waitFor(
    () => expect(ids.map((id) => deliveries.get(id)?.status)).toEqual(ids.map(() => 'succeeded')),
    {
      timeout: 1000,
      interval: 5,
    },
  );
  // One commit, unless the machine stalled this process for a whole batch window in between.
  expect(batches.length).toBeLessThanOrEqual(2);
  expect(batches.flat()).toEqual(ids);
  expect(OUTCOME_BATCH_MS).toBeLessThanOrEqual(20);
});

it('close() writes what is queued at once, without waiting for the batch to fill', async () => {
  const { deliveries, ids, batches, recorder } = setup();
  recorder.add(succeeded(ids[0] as string));
  await recorder.close();
  expect(batches).toEqual([[ids[0]]]);
  expect(deliveries.get(ids[0] as string)?.status).toBe('succeeded');
});
