import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  captureLogs,
  type LogLine,
  type Receiver,
  startReceiver,
  startTestServer,
  type TestServer,
  webhookInput,
} from './helpers.js';

/** What an open long-poll answered, and how long after it was asked. */
interface WaitAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON answer of the API under test, checked by each test
  body: any;
  afterMs: number;
}

/** A long-poll held open on its own connection; `abort()` drops the connection as a client that goes away. */
interface OpenWait {
  answer: Promise<WaitAnswer | 'aborted'>;
  abort(): void;
}

/** Long enough that an answer well before it cannot come from the wait's own deadline. */
const LONG_WAIT_MS = 10_000;

let server: TestServer | undefined;
let receiver: Receiver | undefined;
let logs: { lines: LogLine[] };
const opened: OpenWait[] = [];
afterEach(async () => {
  for (const wait of opened.splice(0)) wait.abort();
  await server?.stop();
  await receiver?.close();
  server = undefined;
  receiver = undefined;
});

async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const captured = captureLogs('debug');
  logs = captured;
  server = await startTestServer({ ...options, logger: captured.logger });
  return server;
}

function openWait(query: string): OpenWait {
  const { url, apiKey } = server as TestServer;
  const started = Date.now();
  // A connection of its own (no pool), so aborting it closes exactly that connection.
  const request = httpRequest(`${url}/v1/deliveries/wait?${query}`, {
    agent: false,
    headers: { authorization: `Bearer ${apiKey}` },
  });
  let aborted = false;
  const answer = new Promise<WaitAnswer | 'aborted'>((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text), afterMs: Date.now() - started }),
      );
    });
    request.on('error', (error) => (aborted ? resolve('aborted') : reject(error)));
    request.on('close', () => {
      if (aborted) resolve('aborted');
    });
  });
  request.end();
  const abort = () => {
    aborted = true;
    request.destroy();
  };
  const wait = { answer, abort };
  opened.push(wait);
  return wait;
}

/** How many long-polls the server has taken up so far (it logs each one it starts waiting on). */
const waitsTakenUp = () => logs.lines.filter((line) => line.msg === 'long-poll waiting').length;

/** Resolves once the server has taken up `count` long-polls in all. */
async function untilWaitsTakenUp(count: number): Promise<void> {
  await vi.waitFor(() => expect(waitsTakenUp()).toBe(count), { timeout: 10_000, interval: 20 });
}

/** Opens a wait and resolves once the server waits on it, so what the test does next can wake it. */
async function openTakenUpWait(query: string): Promise<OpenWait> {
  const before = waitsTakenUp();
  const wait = openWait(query);
  await untilWaitsTakenUp(before + 1);
  return wait;
}

/** A wait that ends at once unless it is refused: the probe of whether a slot is free. */
const probe = () => (server as TestServer).api('GET', '/v1/deliveries/wait?event_id=evt_probe&timeout_ms=0');

/** Opens the most waits the server keeps, each on an event that never comes. */
async function fillEveryWaitSlot(): Promise<OpenWait[]> {
  const waits = Array.from({ length: 100 }, (_, index) =>
    openWait(`event_id=evt_never_${index}&timeout_ms=20000`),
  );
  await untilWaitsTakenUp(100);
  return waits;
}

describe('GET /v1/deliveries/wait: open waits', () => {
  it('refuses a wait beyond 100 open ones with 429 too_many_waiters, saying how to go on', async () => {
    await start();
    await fillEveryWaitSlot();
    const refused = await probe();
    expect(refused).toMatchObject({
      status: 429,
      body: {
        code: 'too_many_waiters',
        message: '100 long-polls are open already; wait for one to end, then ask again.',
      },
    });
  });

  it('drops the wait of a client that goes away: a new wait takes its place', async () => {
    await start();
    const [first] = await fillEveryWaitSlot();
    expect((await probe()).status).toBe(429);
    first?.abort();
    expect(await first?.answer).toBe('aborted');
    await vi.waitFor(
      async () => expect(await probe()).toEqual({ status: 200, body: { timed_out: true, data: [] } }),
      {
        timeout: 5_000,
        interval: 50,
      },
    );
  });
});

/**
 * A server whose one webhook got one `chat` delivery, finished as `succeeded` (the endpoint
 * answers 200) or `failed` (it answers 500, and the schedule has a single attempt).
 */
async function oneFinishedDelivery(
  outcome: 'succeeded' | 'failed',
): Promise<{ api: TestServer['api']; webhookId: string; deliveryId: string }> {
  receiver = await startReceiver(() => ({ status: outcome === 'succeeded' ? 200 : 500 }));
  const { api } = await start({ retrySchedule: [0] });
  const webhook = (await api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }))).body;
  const { deliveries } = (await api('POST', '/v1/events', { type: 'chat' })).body;
  const deliveryId: string = deliveries[0].id;
  const finished = await api(
    'GET',
    `/v1/deliveries/wait?webhook_id=${webhook.id}&status=${outcome}&timeout_ms=10000`,
  );
  expect(finished.body).toMatchObject({ timed_out: false, data: [{ id: deliveryId }] });
  return { api, webhookId: webhook.id, deliveryId };
}

/** Expects `wait` answered as met with `delivery`, long before its own deadline could have ended it. */
async function expectWokenAtOnce(wait: OpenWait, delivery: { id: string; status: string }): Promise<void> {
  const answer = (await wait.answer) as WaitAnswer;
  expect(answer).toMatchObject({ status: 200, body: { timed_out: false, data: [delivery] } });
  expect(answer.afterMs).toBeLessThan(LONG_WAIT_MS / 2);
}

describe('GET /v1/deliveries/wait is answered at once when the API changes a status', () => {
  it('POST /v1/deliveries/:id/retry ends a wait for pending deliveries', async () => {
    const { api, webhookId, deliveryId } = await oneFinishedDelivery('succeeded');
    const pending = await openTakenUpWait(
      `webhook_id=${webhookId}&status=pending&timeout_ms=${LONG_WAIT_MS}`,
    );
    expect((await api('POST', `/v1/deliveries/${deliveryId}/retry`)).status).toBe(202);
    await expectWokenAtOnce(pending, { id: deliveryId, status: 'pending' });
  });

  it('POST /v1/webhooks/:id/recover ends a wait for pending deliveries', async () => {
    const { api, webhookId, deliveryId } = await oneFinishedDelivery('failed');
    const pending = await openTakenUpWait(
      `webhook_id=${webhookId}&status=pending&timeout_ms=${LONG_WAIT_MS}`,
    );
    const recovered = await api('POST', `/v1/webhooks/${webhookId}/recover`, {
      since: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(recovered.body).toEqual({ resent: 1, delivery_ids: [deliveryId] });
    await expectWokenAtOnce(pending, { id: deliveryId, status: 'pending' });
  });

  it('POST /v1/webhooks/:id/test ends a wait for the delivery it starts', async () => {
    // The endpoint never answers: the delivery stays in flight, and no outcome wakes the wait.
    receiver = await startReceiver(() => 'hang');
    const { api } = await start({ retrySchedule: [0], attemptTimeoutMs: 60_000 });
    const webhook = (await api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] })))
      .body;
    const started = await openTakenUpWait(
      `webhook_id=${webhook.id}&status=in_flight&timeout_ms=${LONG_WAIT_MS}`,
    );
    const tested = await api('POST', `/v1/webhooks/${webhook.id}/test`);
    expect(tested.status).toBe(202);
    await expectWokenAtOnce(started, { id: tested.body.deliveries[0].id, status: 'in_flight' });
  });

  it('POST /v1/events ends a wait for the deliveries of the event it creates', async () => {
    // The endpoint never answers: the delivery stays in flight, and no outcome wakes the wait.
    receiver = await startReceiver(() => 'hang');
    const { api } = await start({ retrySchedule: [0], attemptTimeoutMs: 60_000 });
    await api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));
    const started = await openTakenUpWait(`event_id=evt_chosen&status=in_flight&timeout_ms=${LONG_WAIT_MS}`);
    const triggered = await api('POST', '/v1/events', { type: 'chat', id: 'evt_chosen' });
    expect(triggered.status).toBe(202);
    await expectWokenAtOnce(started, { id: triggered.body.deliveries[0].id, status: 'in_flight' });
  });
});
