import { MemoryReplayStore, type ReplayStore } from '@caleida/verify';

/** A replay store as the curve drives it, one call per receiver path. */
export interface ReplayStoreUnderTest {
  name: string;
  /** Claims a new id and marks it processed, as a receiver does for an event its handlers took. */
  claimAndComplete(id: string): Promise<void>;
  /** Claims a new id and releases it, as for an event whose handlers failed: the store keeps its size. */
  claimAndRelease(id: string): Promise<void>;
  /** Claims an id already processed: the lookup a replayed event costs. */
  claimKnown(id: string): Promise<void>;
  /** Closes connections, if any. */
  close(): Promise<void>;
}

const LEASE = { leaseSeconds: 60 };
const RETENTION = { retentionSeconds: 600 };

/** The in-memory store of @caleida/verify, large enough that none of the ids is evicted. */
export function memoryStoreUnderTest(maxIds: number): ReplayStoreUnderTest {
  return storeUnderTest('MemoryReplayStore', new MemoryReplayStore({ maxEntries: maxIds * 2 }));
}

/** Drives any `ReplayStore` as a receiver does; `close` ends its connections. */
export function storeUnderTest(
  name: string,
  store: ReplayStore,
  close: () => Promise<void> = async () => {},
): ReplayStoreUnderTest {
  const claimNew = async (id: string): Promise<string> => {
    const claim = await store.claim(id, LEASE);
    if (claim.state !== 'new') throw new Error(`${name}: ${id} was not new but ${claim.state}`);
    return claim.token;
  };
  return {
    name,
    async claimAndComplete(id) {
      await store.complete(id, await claimNew(id), RETENTION);
    },
    async claimAndRelease(id) {
      await store.release(id, await claimNew(id));
    },
    async claimKnown(id) {
      const claim = await store.claim(id, LEASE);
      if (claim.state !== 'processed') throw new Error(`${name}: ${id} was not processed but ${claim.state}`);
    },
    close,
  };
}

/** Figures of one step of the curve. */
export interface ReplayPoint {
  ids: number;
  /** µs per claim + complete of a new id, over the whole fill of this step's store. */
  fillMicros: number;
  /** µs per claim + release of a new id at this size, the median of the batches. */
  claimMicros: number;
  /** Claim + release time over the first step's, the median of the ratios taken round by round. */
  claimToFirst: number;
  /** Known-id claim time over the first step's, likewise. */
  knownToFirst: number;
  /** µs per claim of an id already processed. */
  knownMicros: number;
  /** Heap the filled store holds after a full GC (the heap before its fill subtracted), in MiB. */
  heapMiB: number;
}

const id = (n: number): string => `evt_${n.toString(36).padStart(24, '0')}`;

/**
 * Fills a new store (from `makeStore`) step by step to each size in `steps`, timing the fill, and at
 * each size times batches of claims of new ids released again (so the store stays at its size) and
 * of known ids, and weighs the
 * heap after a full GC (run with --expose-gc). Heap figures mean something for in-process stores only.
 */
export async function measureReplayCurve(
  makeStore: () => Promise<ReplayStoreUnderTest>,
  steps: readonly number[],
  { batch = 2_000, rounds = 15, warmupIds = 50_000, fillConcurrency = 1 } = {},
): Promise<ReplayPoint[]> {
  // Warm the code up (JIT) on a store of its own, so that the first step does not time it.
  const warmup = await makeStore();
  for (let n = 0; n < warmupIds; n++) {
    await warmup.claimAndComplete(id(2e12 + n));
    await warmup.claimKnown(id(2e12 + n));
    await warmup.claimAndRelease(id(3e12 + n));
  }
  await warmup.close();
  const gc = globalThis.gc ?? (() => {});
  // One store per step, all filled first, then timed in interleaved rounds (1k, 10k, ..., 1k, ...):
  // load from elsewhere on a shared machine then slows every step of a round alike.
  const filled: { store: ReplayStoreUnderTest; ids: number; fillMicros: number; heapMiB: number }[] = [];
  for (const ids of steps) {
    const store = await makeStore();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const start = process.hrtime.bigint();
    // A store behind a network fills faster with several claims in flight (the fill is not timed per
    // call for it then, only in total).
    let next = 0;
    const fill = async () => {
      while (next < ids) await store.claimAndComplete(id(next++));
    };
    await Promise.all(Array.from({ length: fillConcurrency }, fill));
    const fillMicros = Number(process.hrtime.bigint() - start) / 1e3 / ids;
    gc();
    filled.push({ store, ids, fillMicros, heapMiB: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 });
  }
  const claimSamples = filled.map((): number[] => []);
  const knownSamples = filled.map((): number[] => []);
  let fresh = 1e12;
  for (let round = 0; round < rounds; round++) {
    for (const [step, { store, ids }] of filled.entries()) {
      const batchIds = Array.from({ length: batch }, () => id(fresh++));
      let start = process.hrtime.bigint();
      for (const newId of batchIds) await store.claimAndRelease(newId);
      claimSamples[step]?.push(Number(process.hrtime.bigint() - start) / 1e3 / batch);
      // Known ids spread over the whole store, so a large one is not read from a warm corner.
      const knownIds = Array.from({ length: batch }, (_, i) =>
        id(Math.floor(((i + 0.5) * ids) / batch) % ids),
      );
      start = process.hrtime.bigint();
      for (const knownId of knownIds) await store.claimKnown(knownId);
      knownSamples[step]?.push(Number(process.hrtime.bigint() - start) / 1e3 / batch);
    }
  }
  for (const { store } of filled) await store.close();
  const ratioToFirst = (samples: number[][], step: number) =>
    median((samples[step] ?? []).map((value, round) => value / (samples[0]?.[round] ?? Number.NaN)));
  return filled.map(({ ids, fillMicros, heapMiB }, step) => ({
    ids,
    fillMicros,
    heapMiB,
    claimMicros: median(claimSamples[step] ?? []),
    knownMicros: median(knownSamples[step] ?? []),
    claimToFirst: ratioToFirst(claimSamples, step),
    knownToFirst: ratioToFirst(knownSamples, step),
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
