import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startReceiver, startTestServer, webhookInput } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A receiver that holds every request open until the test answers it, counting how many are open at once. */
async function startHeldReceiver() {
  const open: ServerResponse[] = [];
  const arrivals: number[] = [];
  const answers: number[] = [];
  let mostOpen = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      arrivals.push(Date.now());
      open.push(response);
      mostOpen = Math.max(mostOpen, open.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    open,
    arrivals,
    answers,
    mostOpen: () => mostOpen,
    /** Answers the oldest open request. */
    answer(status: number) {
      const response = open.shift();
      if (!response) throw new Error('no request is open');
      response.writeHead(status).end();
      answers.push(Date.now());
    },
  };
}

describe('throttle on 502/504', () => {
  it('after a 502 a webhook gets one attempt at a time with a pause that doubles, halves on success, and lifts; another webhook is not held up', async () => {
    const struggling = await startHeldReceiver();
    const other = await startReceiver();
    cleanups.push(() => other.close());
    const server = await startTestServer({
      retrySchedule: [0, 0, 0, 0, 0, 0, 0, 0],
      perWebhookConcurrency: 16,
      throttle: { minPauseMs: 150, maxPauseMs: 600 },
    });
    cleanups.push(() => server.stop());
    await server.api('POST', '/v1/webhooks', webhookInput(struggling.url, { events: ['chat'] }));
    await server.api('POST', '/v1/webhooks', webhookInput(other.url, { events: ['message'] }));

    const first = (await server.api('POST', '/v1/events', { type: 'chat' })).body.deliveries[0];
    await vi.waitFor(() => expect(struggling.open).toHaveLength(1));
    struggling.answer(502);
    // Once the attempt is recorded, the engine has seen the 502.
    await vi.waitFor(async () => {
      const { body } = await server.api('GET', `/v1/deliveries/${first.id}`);
      expect(body.attempts).toHaveLength(1);
    });
    for (let i = 0; i < 4; i++) await server.api('POST', '/v1/events', { type: 'chat' });

    // Unthrottled, all five deliveries would be open at once. Each round: the struggling receiver has
    // a request open; an event for the other webhook gets through meanwhile, and still no second
    // request has reached the struggling one.
    const statuses = [502, 502, 200, 200, 200];
    let witnessed = 0;
    for (const status of statuses) {
      await vi.waitFor(() => expect(struggling.open).toHaveLength(1));
      await server.api('POST', '/v1/events', { type: 'message' });
      witnessed++;
      await other.waitFor(witnessed);
      expect(struggling.open).toHaveLength(1);
      struggling.answer(status);
    }
    expect(struggling.mostOpen()).toBe(1);
    // The pause before each attempt: 150 ms after the first 502, doubled by each further one up to
    // 600, then halved by each success (300, 150); the third success lifts the throttle.
    const pauses = [150, 300, 600, 300, 150];
    for (const [i, pause] of pauses.entries()) {
      expect(
        (struggling.arrivals[i + 1] as number) - (struggling.answers[i] as number),
      ).toBeGreaterThanOrEqual(pause);
    }
    // Lifted: the last two deliveries may go together, with no pause.
    await vi.waitFor(() => expect(struggling.open.length + struggling.answers.length).toBe(8));
    while (struggling.open.length > 0) struggling.answer(200);
    await vi.waitFor(async () => {
      const { body } = await server.api('GET', '/v1/deliveries?status=succeeded&limit=100');
      expect(body.data.filter((d: { event_type: string }) => d.event_type === 'chat')).toHaveLength(5);
    });
  });

  it('a 504 throttles like a 502; a 500 does not', async () => {
    const struggling = await startHeldReceiver();
    const server = await startTestServer({
      retrySchedule: [0, 0, 0, 0],
      throttle: { minPauseMs: 200, maxPauseMs: 200 },
    });
    cleanups.push(() => server.stop());
    await server.api('POST', '/v1/webhooks', webhookInput(struggling.url, { events: ['chat'] }));
    await server.api('POST', '/v1/events', { type: 'chat' });
    await server.api('POST', '/v1/events', { type: 'chat' });
    await vi.waitFor(() => expect(struggling.open).toHaveLength(2));
    struggling.answer(500);
    struggling.answer(500);
    // Both retries go out together: a 500 is not a sign to slow down.
    await vi.waitFor(() => expect(struggling.open).toHaveLength(2));
    struggling.answer(504);
    await vi.waitFor(async () => {
      const { body } = await server.api('GET', '/v1/deliveries?limit=10');
      const codes = body.data.flatMap((d: { attempts: { status_code: number }[] }) =>
        d.attempts.map((a) => a.status_code),
      );
      expect(codes).toContain(504);
    });
    struggling.answer(500);
    await vi.waitFor(() => expect(struggling.arrivals).toHaveLength(5));
    // Throttled: one attempt at a time, each 200 ms after the last answer.
    expect((struggling.arrivals[4] as number) - (struggling.answers[3] as number)).toBeGreaterThanOrEqual(
      200,
    );
    expect(struggling.open).toHaveLength(1);
    struggling.answer(200);
    await vi.waitFor(() => expect(struggling.open).toHaveLength(1));
    struggling.answer(200);
  });
});
