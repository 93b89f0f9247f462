import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockServerOptions, startMockServer } from '../src/index.js';
import {
  captureLogs,
  eventually,
  type LogLine,
  type Receiver,
  startReceiver,
  startTestServer,
  type TestServer,
  webhookInput,
} from './helpers.js';
import { holdDatabaseLock, startLockHolder } from './hold-database-lock.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const FAST_RETRIES = { retryMinMs: 20, retryMaxMs: 200 };

async function setup(options: MockServerOptions, receiver?: Receiver) {
  const logs = captureLogs();
  const target = receiver ?? (await startReceiver());
  const server = await startTestServer({ ...options, logger: logs.logger });
  cleanups.push(
    () => target.close(),
    () => server.stop(),
  );
  const webhook = (await server.api('POST', '/v1/webhooks', webhookInput(target.url, { events: ['chat'] })))
    .body;
  return { server, receiver: target, webhook, logs: logs.lines, file: join(server.dir, 'mock.db') };
}

const file_ = (server: TestServer) => join(server.dir, 'mock.db');

async function lockDatabase(file: string, ms: number) {
  const lock = await holdDatabaseLock(file, { ms });
  cleanups.push(() => lock.release());
  return lock;
}

const saying = (lines: LogLine[], text: string) => lines.filter((line) => line.msg.includes(text));
const receivedIds = (receiver: Receiver) =>
  new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));

async function trigger(server: TestServer, ids: readonly string[]) {
  for (const id of ids)
    expect((await server.api('POST', '/v1/events', { type: 'chat', id })).status).toBe(202);
}

/** How long GET /healthz takes: the event loop must not wait for the database lock. */
async function healthzMs(server: TestServer): Promise<number> {
  const started = performance.now();
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  return performance.now() - started;
}

describe('storage faults', () => {
  it('a database locked by another process when due deliveries are claimed: the server keeps answering, logs it once, and delivers every event after', async () => {
    const { server, receiver, logs, file } = await setup({
      retrySchedule: [2, 0.1],
      storageTimings: FAST_RETRIES,
    });
    const holder = await startLockHolder(file);
    cleanups.push(() => holder.release());
    const ids = Array.from({ length: 5 }, (_, i) => `evt_claim_locked_${i}`);
    await trigger(server, ids);
    // Locked before the deliveries come due (2 s after their trigger) and for 3 s.
    const lock = await holder.lock(3_000);
    await eventually(async () => (saying(logs, 'storage unavailable').length > 0 ? true : undefined));
    expect(await healthzMs(server)).toBeLessThan(1_000);
    await lock.released;
    await receiver.waitFor(ids.length);
    expect(receivedIds(receiver)).toEqual(new Set(ids));
    const unavailable = saying(logs, 'storage unavailable');
    expect(unavailable).toHaveLength(1);
    expect(unavailable[0]).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(unavailable[0]?.msg).toMatch(/locked by another connection \(claiming due deliveries\)/);
    await eventually(async () => (saying(logs, 'storage available again').length === 1 ? true : undefined));
  });

  it('a database locked while attempts are in flight: their results are kept and written once it is free, and no delivery stays in flight', async () => {
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    // Answers only once the test has locked the database, so the results meet the lock.
    const receiver = await startReceiver(() => gate.then(() => ({ status: 200 })));
    const { server, logs, file } = await setup(
      { retrySchedule: [0, 0.1], storageTimings: FAST_RETRIES },
      receiver,
    );
    const ids = Array.from({ length: 3 }, (_, i) => `evt_flush_locked_${i}`);
    await trigger(server, ids);
    await receiver.waitFor(ids.length);
    // Longer than the busy timeout the server once had (5 s), past which it dropped the results.
    const lock = await lockDatabase(file, 6_000);
    openGate();
    await eventually(async () => (saying(logs, 'storage unavailable').length > 0 ? true : undefined));
    expect(await healthzMs(server)).toBeLessThan(1_000);
    await lock.released;
    const succeeded = await eventually(async () => {
      const { body } = await server.api('GET', '/v1/deliveries?status=succeeded');
      return body.data.length === ids.length ? body.data : undefined;
    });
    for (const delivery of succeeded) expect(delivery.attempts).toHaveLength(1);
    expect((await server.api('GET', '/v1/deliveries?status=in_flight')).body.data).toEqual([]);
    // Kept, not sent again.
    expect(receiver.received).toHaveLength(ids.length);
    const unavailable = saying(logs, 'storage unavailable');
    expect(unavailable).toHaveLength(1);
    expect(unavailable[0]?.msg).toMatch(/recording delivery attempts/);
    expect(saying(logs, 'storage available again')).toHaveLength(1);
    expect(saying(logs, 'could not record')).toEqual([]);
  }, 25_000);

  it('POST /v1/events on a database that stays locked answers 503 storage_unavailable with Retry-After, and stores nothing', async () => {
    const { server, receiver, logs, file } = await setup({
      storageTimings: { ...FAST_RETRIES, triggerRetryMs: 300 },
    });
    const lock = await lockDatabase(file, 15_000);
    const started = performance.now();
    const response = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'chat', id: 'evt_trigger_locked' }),
    });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    const body = await response.json();
    expect(body).toEqual({
      code: 'storage_unavailable',
      message: expect.stringMatching(/locked by another connection/),
    });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3_000);
    // Reads go on under the lock: nothing of the event was kept.
    expect((await server.api('GET', '/v1/events/evt_trigger_locked')).status).toBe(404);
    expect((await server.api('GET', '/v1/deliveries?event_id=evt_trigger_locked')).body.data).toEqual([]);
    expect(saying(logs, 'event not stored, answered 503')).toHaveLength(1);
    await lock.release();
    expect((await server.api('POST', '/v1/events', { type: 'chat', id: 'evt_trigger_locked' })).status).toBe(
      202,
    );
    await receiver.waitFor(1);
    expect(receivedIds(receiver)).toEqual(new Set(['evt_trigger_locked']));
  });

  it('webhook writes on a locked database answer 503 storage_unavailable with Retry-After, and succeed once it is free', async () => {
    const { server, webhook, receiver } = await setup({ storageTimings: FAST_RETRIES });
    const lock = await lockDatabase(file_(server), 15_000);
    const refused = [
      await server.api('POST', '/v1/webhooks', webhookInput(receiver.url)),
      await server.api('PATCH', `/v1/webhooks/${webhook.id}`, { name: 'renamed' }),
      await server.api('DELETE', `/v1/webhooks/${webhook.id}`),
    ];
    for (const response of refused) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.body).toEqual({
        code: 'storage_unavailable',
        message: expect.stringMatching(/locked by another connection.*retry in a moment/),
      });
    }
    await lock.release();
    expect((await server.api('PATCH', `/v1/webhooks/${webhook.id}`, { name: 'renamed' })).status).toBe(200);
    expect((await server.api('POST', '/v1/webhooks', webhookInput(receiver.url))).status).toBe(201);
  });

  it('POST /v1/events retries a database locked for a moment and answers 202', async () => {
    const { server, receiver, file } = await setup({
      storageTimings: { ...FAST_RETRIES, triggerRetryMs: 5_000 },
    });
    const lock = await lockDatabase(file, 400);
    const response = await server.api('POST', '/v1/events', { type: 'chat', id: 'evt_trigger_brief_lock' });
    expect(response.status).toBe(202);
    await lock.released;
    await receiver.waitFor(1);
    expect(receivedIds(receiver)).toEqual(new Set(['evt_trigger_brief_lock']));
  });

  it('a delivery left in flight past its lease is due again while the server runs', async () => {
    const { server, receiver, logs, file } = await setup({
      retrySchedule: [60],
      storageTimings: { ...FAST_RETRIES, reclaimIntervalMs: 100 },
    });
    const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat', id: 'evt_stranded' }))
      .body;
    // What a lost result leaves behind: in flight, its lease over, held by nobody.
    const other = new Database(file);
    other
      .prepare("UPDATE deliveries SET status = 'in_flight', next_attempt_at = ? WHERE id = ?")
      .run(Date.now() - 1, deliveries[0].id);
    other.close();
    await receiver.waitFor(1);
    expect(receivedIds(receiver)).toEqual(new Set(['evt_stranded']));
    expect(saying(logs, 'left in flight past their lease')).toHaveLength(1);
    await eventually(async () => {
      const { body } = await server.api('GET', `/v1/deliveries/${deliveries[0].id}`);
      return body.status === 'succeeded' ? body : undefined;
    });
  });

  it('startMockServer() refuses a storage timing that is not a whole number of milliseconds ≥ 1', async () => {
    for (const storageTimings of [{ retryMinMs: 0 }, { reclaimIntervalMs: 1.5 }, { leaseMargin: 5 }]) {
      const refused = await startMockServer({ port: 0, storageTimings } as MockServerOptions).catch(
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ name: 'MockServerError', code: 'invalid_option' });
      expect((refused as Error).message).toMatch(
        /^storageTimings\.\w+ (must be a whole number|is not a known timing)/,
      );
    }
  });
});
