import { EventEmitter } from 'node:events';
import { buildApp } from './api/build-app.js';
import type { MockContext } from './api/mock-context.js';
import { createDeliveryEngine } from './delivery/delivery-engine.js';
import { delayBeforeAttempt } from './delivery/retry-schedule.js';
import { createHealthStore } from './health/health-store.js';
import { createOperationalSender } from './health/operational-sender.js';
import { createWebhookHealth, FAILING } from './health/webhook-health.js';
import { MockServerError } from './mock-server-error.js';
import { type MockServerOptions, resolveOptions } from './mock-server-options.js';
import { resolveApiKey } from './resolve-api-key.js';
import { acquireDatabaseLock } from './storage/database-lock.js';
import { createDeliveryStore } from './storage/delivery-store.js';
import { createEventStore } from './storage/event-store.js';
import { groupCommit } from './storage/group-commit.js';
import { type Db, openDatabase } from './storage/open-database.js';
import { storageFailure } from './storage/storage-failure.js';
import { createWebhookStore } from './storage/webhook-store.js';
import { type SqliteWriter, startSqliteWriter } from './writer/start-sqlite-writer.js';
import { useStorageWriter } from './writer/storage-writer-of.js';

/** A running mock server. */
export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:4000`. */
  url: string;
  /** The key every /v1 call must send as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** True when the key was made by this start (print it: it is shown only once). */
  apiKeyGenerated: boolean;
  /** Stops delivering (unfinished attempts are redone on the next start), stops listening, closes the database. */
  close(): Promise<void>;
}

/**
 * Starts a local Caleida: the webhook registry API under /v1, the delivery engine and the
 * /integrations/webhook dashboard. Throws `MockServerError` when it cannot start.
 *
 * @param options.port Port, default 4000 (0 for any free port).
 * @param options.db SQLite file or `':memory:'` (default).
 * @param options.retrySchedule Seconds before each attempt, default the Standard Webhooks schedule.
 * @example
 * const server = await startMockServer({ port: 0, retrySchedule: [0, 1, 1] });
 * await fetch(`${server.url}/v1/events`, {
 *   method: 'POST',
 *   headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
 *   body: JSON.stringify({ type: 'chat' }),
 * });
 * await server.close();
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const settings = resolveOptions(options);
  // One server per file: a second one would send the first one's deliveries again and miss its
  // webhook changes (each keeps its webhooks in memory).
  const lock = settings.db === ':memory:' ? undefined : acquireDatabaseLock(settings.db);
  let db: Db | undefined;
  let writer: SqliteWriter | undefined;
  try {
    db = openDatabase(settings.db);
    const { apiKey, generated } = resolveApiKey(db, settings.apiKey);
    const storedWebhooks = createWebhookStore(db);
    const healthStore = createHealthStore(db);
    // Made before the app so its logger can be handed over; see `health` below.
    let operational: ReturnType<typeof createOperationalSender> | undefined;
    const health = createWebhookHealth({
      store: healthStore,
      webhooks: storedWebhooks,
      operational: { send: (event) => operational?.send(event), close: async () => {} },
      disableAfterFailingMs: settings.disableAfterFailingMs,
      disableAfterExhausted: settings.disableAfterExhausted,
    });
    const webhooks = health.watch(storedWebhooks);
    const events = createEventStore(db);
    const deliveries = createDeliveryStore(db);
    const deliveryChanges = new EventEmitter().setMaxListeners(0);
    const context: Omit<MockContext, 'engine'> = {
      db,
      webhooks,
      events,
      deliveries,
      deliveryChanges,
      health,
      apiKey,
      allowHttp: settings.allowHttp,
      allowPrivateNetwork: settings.allowPrivateNetwork,
      requestTimeoutMs: settings.requestTimeoutMs,
      triggerRetryMs: settings.storageTimings.triggerRetryMs,
      firstDelayMs: () => delayBeforeAttempt(settings.retrySchedule, 1, settings.retryJitter) ?? 0,
    };
    let engine: ReturnType<typeof createDeliveryEngine> | undefined;
    const app = await buildApp(
      {
        ...context,
        engine: {
          wake: () => engine?.wake(),
          leaseForNew: (count, now) => engine?.leaseForNew(count, now) ?? null,
          adopt: (claimed) => engine?.adopt(claimed),
          start: () => engine?.start(),
          stop: async () => engine?.stop(),
        },
      },
      settings.logger,
    );
    operational = createOperationalSender({ log: app.log, target: settings.operationalWebhook });
    // Triggers and attempt results are committed on a thread of their own, off the event loop; an
    // in-memory database cannot be shared with a thread, so it keeps them on this connection.
    if (settings.db !== ':memory:') {
      writer = startSqliteWriter({ path: settings.db, log: app.log });
      useStorageWriter(db, writer);
    }
    const outcomeWriter = writer;
    engine = createDeliveryEngine({
      webhooks,
      events,
      deliveries,
      commit: groupCommit(db),
      ...(outcomeWriter ? { writeOutcomes: outcomeWriter.recordAttempts } : {}),
      retrySchedule: settings.retrySchedule,
      retryJitter: settings.retryJitter,
      attemptTimeoutMs: settings.attemptTimeoutMs,
      concurrency: settings.concurrency,
      perWebhookConcurrency: settings.perWebhookConcurrency,
      chaos: settings.chaos,
      allowPrivateNetwork: settings.allowPrivateNetwork,
      lookup: settings.lookup,
      storageTimings: settings.storageTimings,
      log: app.log,
      throttle: settings.throttle,
      onAttempted: health.attempted,
      onRecorded: () => deliveryChanges.emit('change'),
      endForDisabled(delivery, webhook) {
        // A webhook disabled for failing fails its deliveries, so recovering it re-sends them.
        if (webhook?.status !== 'disabled' || webhook.disabledReason !== FAILING) return false;
        healthStore.failOne(delivery.id, Date.now());
        return true;
      },
    });
    try {
      await app.listen({ port: settings.port, host: settings.host });
    } catch (error) {
      await app.close();
      await writer?.close();
      throw listenError(error as NodeJS.ErrnoException, settings.host, settings.port);
    }
    engine.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
    let closing: Promise<void> | undefined;
    const openDb = db;
    return {
      url: `http://${host}:${port}`,
      apiKey,
      apiKeyGenerated: generated,
      close() {
        closing ??= (async () => {
          await engine.stop();
          await operational?.close();
          await app.close();
          // After the engine and the API: the thread commits what they handed it, then exits.
          await outcomeWriter?.close();
          openDb.close();
          lock?.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await writer?.close();
    if (db?.open) db.close();
    lock?.release();
    throw startError(error, settings.db);
  }
}

/** A storage failure while starting (the file locked by a sqlite3 shell, say) as a one-line refusal. */
function startError(error: unknown, path: string): unknown {
  const failure = storageFailure(error);
  if (failure === undefined) return error;
  return new MockServerError(
    'database_unavailable',
    failure === 'busy'
      ? `The database at ${path} is locked by another connection; close it (a sqlite3 shell, another tool) and start again.`
      : `Cannot use the database at ${path}: ${(error as Error).message}.`,
  );
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): MockServerError {
  if (error.code === 'EADDRINUSE') {
    return new MockServerError(
      'port_in_use',
      `Port ${port} on ${host} is already in use; stop what holds it, pick another with --port, or use --port 0 for any free port.`,
    );
  }
  return new MockServerError('listen_failed', `Cannot listen on ${host}:${port}: ${error.message}.`);
}
