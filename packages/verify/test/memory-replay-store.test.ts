import { describe, expect, it } from 'vitest';
import { MemoryReplayStore } from '../src/index.js';

describe('MemoryReplayStore', () => {
  it('claims a new id once, reports it in flight, then processed after complete()', async () => {
    const store = new MemoryReplayStore();
    expect(await store.claim('evt_1', 60)).toBe('new');
    expect(await store.claim('evt_1', 60)).toBe('in_flight');
    await store.complete('evt_1', 60);
    expect(await store.claim('evt_1', 60)).toBe('processed');
  });

  it('forgets a released id so a retry can claim it', async () => {
    const store = new MemoryReplayStore();
    await store.claim('evt_1', 60);
    await store.release('evt_1');
    expect(await store.claim('evt_1', 60)).toBe('new');
  });

  it('forgets a processed id after its time to live', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ now: () => now });
    await store.claim('evt_1', 10);
    await store.complete('evt_1', 10);
    now = 9_999;
    expect(await store.claim('evt_1', 10)).toBe('processed');
    now = 10_001;
    expect(await store.claim('evt_1', 10)).toBe('new');
  });

  it('stays within maxEntries, forgetting the oldest ids first', async () => {
    const store = new MemoryReplayStore({ maxEntries: 100 });
    for (let i = 0; i < 1_000; i++) {
      await store.claim(`evt_${i}`, 600);
      await store.complete(`evt_${i}`, 600);
    }
    expect(store.size).toBeLessThanOrEqual(100);
    expect(await store.claim('evt_999', 600)).toBe('processed');
    expect(await store.claim('evt_0', 600)).toBe('new');
  });

  it('refuses a maxEntries that is not a positive integer', () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(/maxEntries must be a positive integer/);
  });
});
