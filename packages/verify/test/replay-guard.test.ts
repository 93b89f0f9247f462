import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReceiver, MemoryReplayStore } from '../src/index.js';
import { createReplayGuard } from '../src/replay/replay-guard.js';
import { SECRET, validRequest } from './helpers.js';

const quiet = { error: () => {} };

function post(request: ReturnType<typeof validRequest>) {
  return { method: 'POST', headers: request.headers, body: request.body };
}

describe('createReplayGuard() on a MemoryReplayStore', () => {
  const options = {
    retentionSeconds: 600,
    leaseSeconds: 60,
    timeoutMs: 1_000,
    onStoreError: 'fail-closed' as const,
    windowSeconds: 600,
    logger: quiet,
  };

  it('admit() answers in the same tick, with no promise: claims, duplicates and in-flight ids', () => {
    const guard = createReplayGuard({ ...options, store: new MemoryReplayStore() });
    const first = guard.admit('evt_1');
    expect(first).not.toBeInstanceOf(Promise);
    expect(first).toMatchObject({ duplicate: false });
    expect(() => guard.admit('evt_1')).toThrow(expect.objectContaining({ code: 'in_flight' }));
    if (first instanceof Promise || first.duplicate) throw new Error('expected a new claim');
    void first.settle(true);
    expect(guard.admit('evt_1')).toEqual({ duplicate: true });
  });
});

describe('the receiver on a MemoryReplayStore', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('admits and settles an event without starting a timer: a store in this process needs no deadline', async () => {
    const receiver = createReceiver({ secret: SECRET, replayStore: new MemoryReplayStore() });
    const request = validRequest();
    const admission = await receiver.admit(post(request));
    expect(admission.accepted).toBe(true);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const again = validRequest();
    const second = await receiver.admit(post(again));
    if (!second.accepted) throw new Error('expected the second event to be admitted');
    await second.settle(true);
    // Reading a string body starts no timer either, so any timer here would be the replay store's.
    expect(timers).not.toHaveBeenCalled();
    const duplicate = await receiver.handle(post(again));
    expect(JSON.parse(duplicate.body)).toMatchObject({ duplicate: true });
  });

  it('keeps the in-flight, release and duplicate answers of the promise path', async () => {
    const receiver = createReceiver({ secret: SECRET, logger: quiet });
    const request = validRequest();
    const first = await receiver.admit(post(request));
    expect(first.accepted).toBe(true);
    const inFlight = await receiver.admit(post(request));
    expect(inFlight.accepted ? 0 : inFlight.response.status).toBe(409);
    if (first.accepted) await first.settle(false);
    const retry = await receiver.admit(post(request));
    expect(retry.accepted).toBe(true);
    if (retry.accepted) await retry.settle(true);
    const duplicate = await receiver.handle(post(request));
    expect({ status: duplicate.status, body: JSON.parse(duplicate.body) }).toMatchObject({
      status: 200,
      body: { duplicate: true },
    });
  });

  it('runs the overrides of a subclass, and answers 503 while its claim() fails', async () => {
    class FailingStore extends MemoryReplayStore {
      override async claim(): Promise<never> {
        throw new Error('disk full');
      }
    }
    const errors: string[] = [];
    const receiver = createReceiver({
      secret: SECRET,
      replayStore: new FailingStore(),
      logger: { error: (line: string) => void errors.push(line) },
    });
    const response = await receiver.handle(post(validRequest()));
    expect({ status: response.status, code: JSON.parse(response.body).code }).toEqual({
      status: 503,
      code: 'replay_store_unavailable',
    });
    expect(errors.join('\n')).toContain('disk full');
  });

  it('answers 503 when its synchronous claim fails (a clock that throws), and fail-open runs the event', async () => {
    const broken = () =>
      new MemoryReplayStore({
        now: () => {
          throw new Error('clock unavailable');
        },
      });
    const closed = createReceiver({ secret: SECRET, replayStore: broken(), logger: quiet });
    const refused = await closed.handle(post(validRequest()));
    expect(refused.status).toBe(503);
    const open = createReceiver({
      secret: SECRET,
      replayStore: broken(),
      onReplayStoreError: 'fail-open',
      logger: quiet,
    });
    const accepted = await open.handle(post(validRequest()));
    expect(accepted.status).toBe(200);
  });
});
