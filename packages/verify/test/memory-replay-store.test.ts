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

  it('keeps working at its limit: each new claim forgets exactly the oldest id', async () => {
    const store = new MemoryReplayStore({ maxEntries: 1_000 });
    for (let i = 0; i < 50_000; i++) {
      await store.claim(`evt_${i}`, 600);
      await store.complete(`evt_${i}`, 600);
    }
    expect(store.size).toBe(1_000);
    expect(await store.claim('evt_49000', 600)).toBe('processed');
    expect(await store.claim('evt_48999', 600)).toBe('new');
  });

  it('sweeps expired ids, so the store shrinks once the window has passed', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ now: () => now });
    for (let i = 0; i < 500; i++) await store.claim(`old_${i}`, 10);
    for (let i = 0; i < 500; i += 2) await store.complete(`old_${i}`, 10);
    now = 20_000;
    for (let i = 0; i < 300; i++) await store.claim(`new_${i}`, 10);
    expect(store.size).toBeLessThan(500);
    expect(await store.claim('new_0', 10)).toBe('in_flight');
  });

  it('does not let the entry of a released id sweep away its later claim', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ now: () => now });
    await store.claim('evt_retried', 10);
    await store.release('evt_retried');
    now = 5_000;
    await store.claim('evt_retried', 10);
    await store.complete('evt_retried', 10);
    now = 12_000;
    for (let i = 0; i < 300; i++) await store.claim(`evt_${i}`, 10);
    expect(await store.claim('evt_retried', 10)).toBe('processed');
  });

  it('remembers an id completed after a full store forgot it while in flight', async () => {
    const store = new MemoryReplayStore({ maxEntries: 10 });
    await store.claim('evt_slow', 600);
    for (let i = 0; i < 20; i++) await store.claim(`evt_${i}`, 600);
    await store.complete('evt_slow', 600);
    expect(await store.claim('evt_slow', 600)).toBe('processed');
    expect(store.size).toBeLessThanOrEqual(10);
  });

  it('refuses a maxEntries that is not a positive integer', () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(/maxEntries must be a positive integer/);
  });
});
