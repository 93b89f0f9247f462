import { describe, expect, it } from 'vitest';
import { MemoryReplayStore } from '../src/index.js';

/** Claims an id and returns its state; the token of a new claim is kept in `tokens`. */
const tokens = new Map<string, string>();
async function claim(store: MemoryReplayStore, id: string, leaseSeconds: number): Promise<string> {
  const result = await store.claim(id, { leaseSeconds });
  if (result.state === 'new') tokens.set(id, result.token);
  return result.state;
}
const complete = (store: MemoryReplayStore, id: string, retentionSeconds: number) =>
  store.complete(id, tokens.get(id) ?? 'no-token', { retentionSeconds });
const release = (store: MemoryReplayStore, id: string) => store.release(id, tokens.get(id) ?? 'no-token');

describe('MemoryReplayStore', () => {
  it('claims a new id once, reports it in flight, then processed after complete()', async () => {
    const store = new MemoryReplayStore();
    expect(await claim(store, 'evt_1', 60)).toBe('new');
    expect(await claim(store, 'evt_1', 60)).toBe('in_flight');
    await complete(store, 'evt_1', 60);
    expect(await claim(store, 'evt_1', 60)).toBe('processed');
  });

  it('forgets a released id so a retry can claim it', async () => {
    const store = new MemoryReplayStore();
    await claim(store, 'evt_1', 60);
    await release(store, 'evt_1');
    expect(await claim(store, 'evt_1', 60)).toBe('new');
  });

  it('forgets a processed id after its retention', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ now: () => now });
    await claim(store, 'evt_1', 10);
    await complete(store, 'evt_1', 10);
    now = 9_999;
    expect(await claim(store, 'evt_1', 10)).toBe('processed');
    now = 10_001;
    expect(await claim(store, 'evt_1', 10)).toBe('new');
  });

  it('lets a claim lapse after its lease, and then only the new holder can settle it', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ now: () => now });
    const first = await store.claim('evt_1', { leaseSeconds: 5 });
    now = 5_001;
    const second = await store.claim('evt_1', { leaseSeconds: 5 });
    expect(first.state === 'new' && second.state === 'new' && first.token !== second.token).toBe(true);
    if (first.state !== 'new' || second.state !== 'new') return;
    await store.release('evt_1', first.token);
    await store.complete('evt_1', first.token, { retentionSeconds: 60 });
    expect((await store.claim('evt_1', { leaseSeconds: 5 })).state).toBe('in_flight');
    await store.complete('evt_1', second.token, { retentionSeconds: 60 });
    expect((await store.claim('evt_1', { leaseSeconds: 5 })).state).toBe('processed');
  });

  it("ignores a lapsed claim's token once a newer claim of the id was completed", async () => {
    let now = 0;
    const store = new MemoryReplayStore({ now: () => now });
    const first = await store.claim('evt_1', { leaseSeconds: 5 });
    now = 5_001;
    const second = await store.claim('evt_1', { leaseSeconds: 5 });
    if (first.state !== 'new' || second.state !== 'new') throw new Error('both claims should be new');
    await store.complete('evt_1', second.token, { retentionSeconds: 60 });
    await store.release('evt_1', first.token);
    expect((await store.claim('evt_1', { leaseSeconds: 5 })).state).toBe('processed');
    await store.complete('evt_1', first.token, { retentionSeconds: 1 });
    now = 7_000;
    expect((await store.claim('evt_1', { leaseSeconds: 5 })).state).toBe('processed');
  });

  it('gives every claim a token of its own, so a token never settles another id', async () => {
    const store = new MemoryReplayStore();
    const a = await store.claim('evt_a', { leaseSeconds: 60 });
    const b = await store.claim('evt_b', { leaseSeconds: 60 });
    if (a.state !== 'new' || b.state !== 'new') throw new Error('both claims should be new');
    expect(a.token).not.toBe(b.token);
    await store.release('evt_b', a.token);
    expect((await store.claim('evt_b', { leaseSeconds: 60 })).state).toBe('in_flight');
  });

  it('stays within maxEntries, forgetting the oldest ids first', async () => {
    const store = new MemoryReplayStore({ maxEntries: 100 });
    for (let i = 0; i < 1_000; i++) {
      await claim(store, `evt_${i}`, 600);
      await complete(store, `evt_${i}`, 600);
    }
    expect(store.size).toBeLessThanOrEqual(100);
    expect(await claim(store, 'evt_999', 600)).toBe('processed');
    expect(await claim(store, 'evt_0', 600)).toBe('new');
  });

  it('keeps working at its limit: each new claim forgets exactly the oldest id', async () => {
    const store = new MemoryReplayStore({ maxEntries: 1_000 });
    for (let i = 0; i < 50_000; i++) {
      const result = await store.claim(`evt_${i}`, { leaseSeconds: 600 });
      if (result.state === 'new') await store.complete(`evt_${i}`, result.token, { retentionSeconds: 600 });
    }
    expect(store.size).toBe(1_000);
    expect(await claim(store, 'evt_49000', 600)).toBe('processed');
    expect(await claim(store, 'evt_48999', 600)).toBe('new');
  });

  it('sweeps expired ids, so the store shrinks once the window has passed', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ now: () => now });
    for (let i = 0; i < 500; i++) await claim(store, `old_${i}`, 10);
    for (let i = 0; i < 500; i += 2) await complete(store, `old_${i}`, 10);
    now = 20_000;
    for (let i = 0; i < 300; i++) await claim(store, `new_${i}`, 10);
    expect(store.size).toBeLessThan(500);
    expect(await claim(store, 'new_0', 10)).toBe('in_flight');
  });

  it('does not let the entry of a released id sweep away its later claim', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ now: () => now });
    await claim(store, 'evt_retried', 10);
    await release(store, 'evt_retried');
    now = 5_000;
    await claim(store, 'evt_retried', 10);
    await complete(store, 'evt_retried', 10);
    now = 12_000;
    for (let i = 0; i < 300; i++) await claim(store, `evt_${i}`, 10);
    expect(await claim(store, 'evt_retried', 10)).toBe('processed');
  });

  it('remembers an id completed after a full store forgot it while in flight', async () => {
    const store = new MemoryReplayStore({ maxEntries: 10 });
    await claim(store, 'evt_slow', 600);
    for (let i = 0; i < 20; i++) await claim(store, `evt_${i}`, 600);
    await complete(store, 'evt_slow', 600);
    expect(await claim(store, 'evt_slow', 600)).toBe('processed');
    expect(store.size).toBeLessThanOrEqual(10);
  });

  it('refuses a maxEntries that is not a positive integer', () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(/maxEntries must be a positive integer/);
  });
});
