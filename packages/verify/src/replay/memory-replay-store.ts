import type { ReplayState, ReplayStore } from './replay-store.js';

/** Options of the in-memory replay store. */
export interface MemoryReplayStoreOptions {
  /** Most ids remembered at once; the oldest are forgotten first. Default 100,000. */
  maxEntries?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
}

const SWEEP_EVERY = 256;

// Each id maps to its expiry time in ms: positive once processed, negative while in flight. A
// number per id rather than an object keeps the long-lived part of the heap small, which is what
// garbage collection pays for with 100,000 ids held for the whole window.
const stateOf = (stamp: number): Exclude<ReplayState, 'new'> => (stamp < 0 ? 'in_flight' : 'processed');

/**
 * The default replay store: a bounded map in this process. Ids are kept at least as long as the
 * receiver's timestamp window, after which the timestamp check alone refuses a replay. When full,
 * the oldest ids go first.
 *
 * @example
 * createReceiver({ secret, replayStore: new MemoryReplayStore({ maxEntries: 10_000 }) });
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #entries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #now: () => number;
  #claimsSinceSweep = 0;

  constructor({ maxEntries = 100_000, now = Date.now }: MemoryReplayStoreOptions = {}) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError(`@caleida/verify: maxEntries must be a positive integer, got ${maxEntries}.`);
    }
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  /** How many ids are remembered now. */
  get size(): number {
    return this.#entries.size;
  }

  async claim(id: string, ttlSeconds: number): Promise<ReplayState> {
    const now = this.#now();
    const stamp = this.#entries.get(id);
    if (stamp !== undefined && Math.abs(stamp) > now) return stateOf(stamp);
    if (stamp !== undefined) this.#entries.delete(id);
    this.#evict(now);
    this.#entries.set(id, -(now + ttlSeconds * 1000));
    return 'new';
  }

  async complete(id: string, ttlSeconds: number): Promise<void> {
    this.#entries.delete(id);
    this.#entries.set(id, this.#now() + ttlSeconds * 1000);
  }

  async release(id: string): Promise<void> {
    this.#entries.delete(id);
  }

  #evict(now: number): void {
    // Expired ids are swept every SWEEP_EVERY claims (a lookup already ignores an expired one), or
    // at once when the store is full: a claim does no scanning work most of the time.
    if (this.#entries.size < this.#maxEntries && ++this.#claimsSinceSweep < SWEEP_EVERY) return;
    this.#claimsSinceSweep = 0;
    // Map iterates in insertion order, so the oldest entries come first.
    for (const [id, stamp] of this.#entries) {
      if (this.#entries.size < this.#maxEntries && Math.abs(stamp) > now) return;
      this.#entries.delete(id);
    }
  }
}
