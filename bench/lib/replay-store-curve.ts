import { MemoryReplayStore } from '@caleida/verify';

/** A replay store as the curve drives it: claim a new id and complete it, or forget it. */
export interface ReplayStoreUnderTest {
  name: string;
  /** Claims a new id and marks it processed, as a receiver does for one event. */
  claimAndComplete(id: string): Promise<void>;
  /** Claims an id already processed: the lookup a replayed event costs. */
  claimKnown(id: string): Promise<void>;
  /** Forgets an id (so timing batches leave the store at its size). */
  release(id: string): Promise<void>;
  /** Closes connections, if any. */
  close(): Promise<void>;
}

const TTL_SECONDS = 600;

/** The in-memory store of @caleida/verify, large enough that none of the ids is evicted. */
export function memoryStoreUnderTest(maxIds: number): ReplayStoreUnderTest {
  const store = new MemoryReplayStore({ maxEntries: maxIds * 2 });
  return {
    name: 'MemoryReplayStore',
    async claimAndComplete(id) {
      if ((await store.claim(id, TTL_SECONDS)) !== 'new') throw new Error(`${id} was not new`);
      await store.complete(id, TTL_SECONDS);
    },
    async claimKnown(id) {
      if ((await store.claim(id, TTL_SECONDS)) !== 'processed') throw new Error(`${id} was not processed`);
    },
    release: (id) => store.release(id),
    close: async () => {},
  };
}

/** Figures of one step of the curve. */
export interface ReplayPoint {
  ids: number;
  /** µs per claim + complete of a new id, the median of the batches. */
  claimMicros: number;
  /** µs per claim of an id already processed. */
  knownMicros: number;
  /** Heap used after a full GC, minus the heap before the store was filled, in MiB. */
  heapMiB: number;
}

const id = (n: number): string => `evt_${n.toString(36).padStart(24, '0')}`;

/**
 * Fills a new store (from `makeStore`) step by step to each size in `steps` and, at each, times batches of claims of new
 * ids (each batch then released, so the store stays at its size) and of known ids, and weighs the
 * heap after a full GC (run with --expose-gc). Heap figures mean something for in-process stores only.
 */
export async function measureReplayCurve(
  makeStore: () => ReplayStoreUnderTest,
  steps: readonly number[],
  { batch = 2_000, rounds = 15 } = {},
): Promise<ReplayPoint[]> {
  // Warm the code up (JIT) on a store of its own, so that the first step does not time it.
  const warmup = makeStore();
  for (let n = 0; n < 50_000; n++) {
    await warmup.claimAndComplete(id(2e12 + n));
    await warmup.claimKnown(id(2e12 + n));
    await warmup.release(id(2e12 + n));
  }
  await warmup.close();
  const store = makeStore();
  const gc = globalThis.gc ?? (() => {});
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const points: ReplayPoint[] = [];
  let filled = 0;
  let fresh = 1e12;
  for (const ids of steps) {
    for (; filled < ids; filled++) await store.claimAndComplete(id(filled));
    gc();
    const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    const claimSamples: number[] = [];
    const knownSamples: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const batchIds = Array.from({ length: batch }, () => id(fresh++));
      let start = process.hrtime.bigint();
      for (const newId of batchIds) await store.claimAndComplete(newId);
      claimSamples.push(Number(process.hrtime.bigint() - start) / 1e3 / batch);
      for (const newId of batchIds) await store.release(newId);
      // Known ids spread over the whole store, so a large one is not read from a warm corner.
      const knownIds = Array.from({ length: batch }, (_, i) =>
        id(Math.floor(((i + 0.5) * ids) / batch) % ids),
      );
      start = process.hrtime.bigint();
      for (const knownId of knownIds) await store.claimKnown(knownId);
      knownSamples.push(Number(process.hrtime.bigint() - start) / 1e3 / batch);
    }
    points.push({ ids, claimMicros: median(claimSamples), knownMicros: median(knownSamples), heapMiB });
  }
  await store.close();
  return points;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
