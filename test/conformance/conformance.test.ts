import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, requestCases, SECRET, validRequest, WRONG_SECRET } from './cases.js';
import { RouteSpy } from './route-spy.js';
import { type HttpRequest, type HttpResponse, send, sendTrickled } from './send.js';
import { PLAIN_PATH, RAW_PATH, type RunningTarget, targets } from './targets.js';

/** Leaves out a test a target cannot run (rather than reporting it skipped). */
const noTest = (_name: string, _test: () => Promise<void>): void => {};

/** The receivers' body-read deadline in this suite: short, so a trickled body is cut off quickly. */
const BODY_READ_TIMEOUT_MS = 1_000;

/** Resolves once `count` calls reached the route, so a test can act while a handler is in flight. */
function reached(spy: RouteSpy, count: number): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (spy.calls.length >= count ? resolve() : setTimeout(poll, 5));
    poll();
  });
}

describe.each(targets)('$name', (target) => {
  const spy = new RouteSpy();
  const logged: string[] = [];
  let running: RunningTarget;

  beforeAll(async () => {
    running = await target.start(
      {
        secret: SECRET,
        maxBodyBytes: MAX_BODY_BYTES,
        bodyReadTimeoutMs: BODY_READ_TIMEOUT_MS,
        logger: { error: (line: string) => logged.push(line) },
      },
      spy,
    );
  });
  afterAll(() => running.close());
  beforeEach(() => spy.reset());

  const cases = requestCases.filter((each) => each.when?.(target) ?? true);
  const check = async ({ request, expected }: (typeof cases)[number], path?: string) => {
    const made = request();
    const outgoing: HttpRequest = path && made.path === PLAIN_PATH ? { ...made, path } : made;
    const want = typeof expected === 'function' ? expected(target) : expected;
    const response = await send(running.url, outgoing);
    expect({ status: response.status, code: response.json.code }).toEqual({
      status: want.status,
      code: want.code,
    });
    expect(spy.calls).toHaveLength(want.routeRuns);
    if (want.body) expect(response.json).toMatchObject(want.body);
    if (want.routeRuns === 1) expect(spy.calls[0]?.id).toBe(outgoing.headers['webhook-id']);
    if (want.status === 405) expect(response.headers.allow).toBe('POST');
    if (want.code === 'body_already_parsed') expect(response.json.message).toMatch(target.fix);
  };
  it.each(cases)('$name', (each) => check(each));

  // The same answers behind the parser setup the adapter's README documents.
  const rawCases = target.hasRawPath ? cases.filter((each) => each.request().path === PLAIN_PATH) : [];
  if (rawCases.length > 0) {
    it.each(rawCases)('behind the documented parser: $name', (each) => check(each, RAW_PATH));
  }

  (target.inThisProcess ? it : noTest)(
    'answers 408 body_read_timeout to a body trickled past the deadline, and closes the connection',
    async () => {
      const response = await sendTrickled(running.url, validRequest(), 100);
      expect({ status: response.status, code: response.json.code }).toEqual({
        status: 408,
        code: 'body_read_timeout',
      });
      expect(response.json.message).toMatch(/bodyReadTimeoutMs/);
      expect(response.elapsedMs).toBeLessThan(BODY_READ_TIMEOUT_MS + 2_000);
      expect(spy.calls).toHaveLength(0);
    },
  );

  (target.inThisProcess ? it : noTest)(
    'keeps the id claimed while the route runs after the sender timed out: a retry gets 409, the route runs once',
    async () => {
      let release = () => {};
      spy.behaviour = () => new Promise<void>((resolve) => (release = resolve));
      const request = validRequest();
      const sender = new AbortController();
      const first = send(running.url, { ...request, signal: sender.signal }).catch((error: Error) => error);
      await reached(spy, 1);
      sender.abort();
      expect(await first).toBeInstanceOf(Error);
      // Retries over a few hundred ms, so the server has seen the connection close before most.
      const until = Date.now() + 300;
      do {
        const retry = await send(running.url, request);
        expect({ status: retry.status, code: retry.json.code }).toEqual({ status: 409, code: 'in_flight' });
      } while (Date.now() < until);
      release();
      // Once the route finished with 2xx the id counts as processed: the next retry is a duplicate.
      let later: HttpResponse;
      do later = await send(running.url, request);
      while (later.status === 409);
      expect({ status: later.status, duplicate: later.json.duplicate }).toEqual({
        status: 200,
        duplicate: true,
      });
      expect(spy.calls).toHaveLength(1);
    },
  );

  it('hands the route the typed event: type, data and the webhook-id as id', async () => {
    const request = validRequest({ type: 'insight.sentiment' });
    await send(running.url, request);
    expect(spy.calls[0]).toMatchObject({
      id: request.id,
      type: 'insight.sentiment',
      data: JSON.parse(request.body as string).data,
    });
  });

  it('answers an id replayed after success with 200 duplicate, without running the route again', async () => {
    const request = validRequest();
    expect((await send(running.url, request)).status).toBe(200);
    const again = await send(running.url, request);
    expect({ status: again.status, json: again.json }).toEqual({
      status: 200,
      json: { received: true, id: request.id, duplicate: true },
    });
    expect(spy.calls).toHaveLength(1);
  });

  it('answers a copy of an id signed with another secret 401, not duplicate', async () => {
    const request = validRequest();
    await send(running.url, request);
    const forged = await send(running.url, validRequest({ id: request.id, secret: WRONG_SECRET }));
    expect({ status: forged.status, code: forged.json.code }).toEqual({
      status: 401,
      code: 'no_matching_signature',
    });
  });

  it('answers 409 in_flight to a copy arriving while the first is in flight, then 200 duplicate', async () => {
    let release = () => {};
    spy.behaviour = () => new Promise<void>((resolve) => (release = resolve));
    const request = validRequest();
    const first = send(running.url, request);
    await reached(spy, 1);
    const concurrent = await send(running.url, request);
    expect({ status: concurrent.status, code: concurrent.json.code }).toEqual({
      status: 409,
      code: 'in_flight',
    });
    release();
    expect((await first).status).toBe(200);
    const later = await send(running.url, request);
    expect({ status: later.status, duplicate: later.json.duplicate }).toEqual({
      status: 200,
      duplicate: true,
    });
    expect(spy.calls).toHaveLength(1);
  });

  it('answers 500 when the route throws, and runs it again on a retry of the same id', async () => {
    spy.behaviour = () => {
      throw new Error('database down');
    };
    const request = validRequest();
    const failed: HttpResponse = await send(running.url, request);
    expect(failed.status).toBe(500);
    // In attach mode the route answers, so the 500 is the framework's own error page.
    if (target.mode === 'dispatch') {
      expect(failed.json.code).toBe('handler_failed');
      expect(failed.text).not.toContain('database down');
    }
    spy.behaviour = () => {};
    const retry = await send(running.url, validRequest({ id: request.id, event: request.body as string }));
    expect(retry.status).toBe(200);
    expect(spy.calls).toHaveLength(2);
  });

  it('logs a body parser mounted first once, naming the fix', async () => {
    await send(running.url, validRequest({ path: '/parsed' }));
    await send(running.url, validRequest({ path: '/parsed' }));
    expect(logged.filter((line) => target.fix.test(line)).length).toBe(1);
  });
});

// Not on NestJS: Nest ends the process when a module fails to start (abortOnError).
describe.each(targets.filter((target) => target.inThisProcess && !target.name.startsWith('NestJS')))(
  '$name options',
  (target) => {
    it.each([
      ['toleranceSeconds', { toleranceSeconds: Number.NaN }],
      ['toleranceSeconds', { toleranceSeconds: Number.POSITIVE_INFINITY }],
      ['bodyReadTimeoutMs', { bodyReadTimeoutMs: 0 }],
    ])('refuses a bad %s at start-up with a TypeError naming it', async (name, bad) => {
      const started = target.start({ secret: SECRET, ...bad }, new RouteSpy()).then(
        (running) => running.close().then(() => undefined),
        (error: unknown) => error,
      );
      const error = await started;
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain(name);
    });
  },
);

describe.each(targets.filter((target) => target.fetchApi))('$name, methods fetch cannot carry', (target) => {
  it('answers a TRACE request without crashing, and keeps serving', async () => {
    const running = await target.start({ secret: SECRET }, new RouteSpy());
    try {
      const trace = await send(running.url, { method: 'TRACE', path: '/webhooks/caleida', headers: {} });
      expect(trace.status).toBe(501);
      expect((await send(running.url, validRequest())).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
