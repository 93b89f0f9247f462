import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { triggerEventGrouped } from '../src/delivery/trigger-event.js';
import { createDeliveryStore } from '../src/storage/delivery-store.js';
import { createEventStore } from '../src/storage/event-store.js';
import { type Db, openDatabase } from '../src/storage/open-database.js';
import { storageFailure } from '../src/storage/storage-failure.js';
import { StorageUnavailableError } from '../src/storage/storage-unavailable-error.js';
import { createWebhookStore } from '../src/storage/webhook-store.js';
import { type SqliteWriter, startSqliteWriter, type TriggerRows } from '../src/writer/start-sqlite-writer.js';
import { StorageWriterError } from '../src/writer/storage-writer-error.js';
import { useStorageWriter } from '../src/writer/storage-writer-of.js';
import { startReceiver, startTestServer, tempDir, webhookInput } from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

interface Setup {
  file: string;
  db: Db;
  writer: SqliteWriter;
  errors: string[];
}

function setup(): Setup {
  const dir = tempDir();
  const file = join(dir.path, 'mock.db');
  const db = openDatabase(file);
  const errors: string[] = [];
  const writer = startSqliteWriter({
    path: file,
    log: { error: (_: unknown, msg: string) => errors.push(msg) } as never,
  });
  cleanups.push(
    dir.cleanup,
    () => {
      db.close();
    },
    () => writer.close(),
  );
  return { file, db, writer, errors };
}

function rows(index: number): TriggerRows {
  const now = Date.now();
  return {
    event: {
      id: `evt_writer_${index}`,
      type: 'chat',
      timestamp: new Date(now).toISOString(),
      body: JSON.stringify({ type: 'chat', index }),
      createdAt: now,
    },
    status: 'pending',
    nextAttemptAt: now,
    deliveryIds: [`dlv_writer_${index}`],
    webhookIds: ['wh_writer'],
  };
}

function countIn(file: string, table: 'events' | 'deliveries'): number {
  const other = new Database(file, { readonly: true });
  try {
    return other.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    other.close();
  }
}

it('startSqliteWriter(): close() commits every write handed over before it, answers each, then the thread exits', async () => {
  const { file, writer } = setup();
  let exited = false;
  writer.worker.once('exit', () => {
    exited = true;
  });
  const writes = Array.from({ length: 50 }, (_, index) => writer.insertTrigger(rows(index)));
  // Same turn: nothing of these has reached the thread yet.
  await writer.close();
  expect(exited).toBe(true);
  expect(await Promise.all(writes)).toEqual(writes.map(() => true));
  expect(countIn(file, 'events')).toBe(50);
  expect(countIn(file, 'deliveries')).toBe(50);
  const late = await writer.insertTrigger(rows(99)).catch((error: unknown) => error);
  expect(late).toBeInstanceOf(StorageWriterError);
  expect(late).toMatchObject({ code: 'writer_closed' });
  expect(storageFailure(late)).toBe('broken');
});

it('startSqliteWriter() answers false for an event id already taken, and stores nothing of it', async () => {
  const { file, writer } = setup();
  expect(await writer.insertTrigger(rows(1))).toBe(true);
  expect(await writer.insertTrigger({ ...rows(1), deliveryIds: ['dlv_other'] })).toBe(false);
  expect(countIn(file, 'deliveries')).toBe(1);
});

it('a writer thread that dies: waiting and later writes fail as broken storage (a trigger with StorageUnavailableError), logged once, and close() does not hang', async () => {
  const { db, writer, errors } = setup();
  expect(await writer.insertTrigger(rows(1))).toBe(true);
  const dying = writer.worker.terminate();
  const waiting = writer.insertTrigger(rows(2)).catch((error: unknown) => error);
  await dying;
  expect(await waiting).toMatchObject({ code: 'writer_stopped' });
  const later = await writer
    .recordAttempts([], Date.now())
    .then(() => 'written')
    .catch((error: unknown) => error);
  expect(later).toBeInstanceOf(StorageWriterError);
  expect(storageFailure(later)).toBe('broken');

  useStorageWriter(db, writer);
  const deps = {
    db,
    webhooks: createWebhookStore(db),
    events: createEventStore(db),
    deliveries: createDeliveryStore(db),
  };
  const refused = await triggerEventGrouped(deps, { type: 'chat', data: {}, firstDelayMs: 0 }).catch(
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(StorageUnavailableError);
  expect(refused).toMatchObject({ code: 'broken', message: expect.stringMatching(/writer thread stopped/) });

  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/storage writer thread stopped.*restart the mock server/);
  await writer.close();
});

it('POST /v1/events on a file database: a read right after each answer sees the event and its deliveries', async () => {
  const receiver = await startReceiver();
  const server = await startTestServer();
  cleanups.push(
    () => receiver.close(),
    () => server.stop(),
  );
  await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));
  await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));
  for (let round = 0; round < 20; round++) {
    const triggered = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        server.api('POST', '/v1/events', { type: 'chat', id: `evt_raw_${round}_${index}` }),
      ),
    );
    for (const { status, body } of triggered) {
      expect(status).toBe(202);
      const [event, deliveries] = await Promise.all([
        server.api('GET', `/v1/events/${body.event.id}`),
        server.api('GET', `/v1/deliveries?event_id=${body.event.id}`),
      ]);
      expect(event.status).toBe(200);
      expect(deliveries.body.data.map((delivery: { id: string }) => delivery.id).sort()).toEqual(
        body.deliveries.map((delivery: { id: string }) => delivery.id).sort(),
      );
    }
  }
}, 20_000);
