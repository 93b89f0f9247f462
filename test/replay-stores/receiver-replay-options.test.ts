import {
  createReceiver,
  generateSecret,
  MemoryReplayStore,
  type ReplayStore,
  signHeaders,
} from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import { describe, expect, it } from 'vitest';

const secret = generateSecret();
const body = JSON.stringify(buildEvent('message'));
const request = (id: string) => ({
  method: 'POST',
  headers: { ...signHeaders({ secret, id, payload: body }), 'content-type': 'application/json' },
  body: Buffer.from(body),
});

/** A memory store that can be switched to failing or hanging, as a store whose server went away. */
function switchableStore(): { store: ReplayStore; mode: 'up' | 'failing' | 'hanging' } {
  const inner = new MemoryReplayStore();
  const control = { mode: 'up' as 'up' | 'failing' | 'hanging', store: undefined as unknown as ReplayStore };
  const guard = <T>(run: () => Promise<T>): Promise<T> => {
    if (control.mode === 'failing') return Promise.reject(new Error('connection refused'));
    if (control.mode === 'hanging') return new Promise(() => {});
    return run();
  };
  control.store = {
    claim: (id, options) => guard(() => inner.claim(id, options)),
    complete: (id, token, options) => guard(() => inner.complete(id, token, options)),
    release: (id, token) => guard(() => inner.release(id, token)),
  };
  return control;
}

describe('createReceiver() replay options', () => {
  it('fails closed by default: 503 replay_store_unavailable with Retry-After, handlers not run, one log line each way', async () => {
    const control = switchableStore();
    const logs: string[] = [];
    let runs = 0;
    const receiver = createReceiver({
      secret,
      replayStore: control.store,
      replayStoreTimeoutMs: 100,
      logger: { error: (line: string) => logs.push(line) },
    }).onAny(() => {
      runs++;
    });
    control.mode = 'failing';
    const refused = await receiver.handle(request('evt_a'));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(JSON.parse(refused.body).code).toBe('replay_store_unavailable');
    control.mode = 'hanging';
    expect((await receiver.handle(request('evt_b'))).status).toBe(503);
    expect(runs).toBe(0);
    expect(logs).toHaveLength(1);

    control.mode = 'up';
    expect((await receiver.handle(request('evt_a'))).status).toBe(200);
    expect(runs).toBe(1);
    expect(logs).toHaveLength(2);
    expect(logs[1]).toMatch(/answers again/);
  });

  it("runs handlers without a claim when onReplayStoreError is 'fail-open'", async () => {
    const control = switchableStore();
    let runs = 0;
    const receiver = createReceiver({
      secret,
      replayStore: control.store,
      onReplayStoreError: 'fail-open',
      logger: { error: () => {} },
    }).onAny(() => {
      runs++;
    });
    control.mode = 'failing';
    expect((await receiver.handle(request('evt_a'))).status).toBe(200);
    expect((await receiver.handle(request('evt_a'))).status).toBe(200);
    expect(runs).toBe(2);
  });

  it('keeps a processed id for replayRetentionSeconds, 3 days by default, past the timestamp window', async () => {
    const store = new MemoryReplayStore();
    const seen: number[] = [];
    const complete = store.complete.bind(store);
    store.complete = (id, token, options) => {
      seen.push(options.retentionSeconds);
      return complete(id, token, options);
    };
    const receiver = createReceiver({ secret, replayStore: store });
    await receiver.handle(request('evt_a'));
    expect(seen).toEqual([259_200]);
    expect(receiver.options.replayRetentionSeconds).toBe(259_200);
    expect(receiver.options.replayLeaseSeconds).toBe(60);
  });

  it('refuses replay options that would not protect anything, naming the option', () => {
    expect(() => createReceiver({ secret, replayRetentionSeconds: 60 })).toThrow(/replayRetentionSeconds/);
    expect(() => createReceiver({ secret, replayLeaseSeconds: 0 })).toThrow(/replayLeaseSeconds/);
    expect(() => createReceiver({ secret, replayStoreTimeoutMs: -1 })).toThrow(/replayStoreTimeoutMs/);
    expect(() => createReceiver({ secret, onReplayStoreError: 'ignore' as never })).toThrow(
      /onReplayStoreError/,
    );
    expect(() => createReceiver({ secret, replayStore: {} as never })).toThrow(/replayStore must have claim/);
  });
});
