import type { ReplayState, ReplayStore } from './replay-store.js';

/** Options of the in-memory replay store. */
export interface MemoryReplayStoreOptions {
  /** Most ids remembered at once; the oldest are forgotten first. Default 100,000. */
  maxEntries?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
}

const SWEEP_EVERY = 256;
const COMPACT_AFTER = 4096;

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
  // Ids in the order they were claimed, read from #head on: what to sweep or evict first. A Map
  // iterator cannot serve here, since it walks over every entry deleted before it on each new
  // iteration, which made each claim of a full store cost a scan of the whole table.
  #order: string[] = [];
  #head = 0;
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
    this.#entries.set(id, -(now + ttlSeconds * 1000));
    this.#order.push(id);
    this.#evict(now);
    return 'new';
  }

  async complete(id: string, ttlSeconds: number): Promise<void> {
    const now = this.#now();
    const known = this.#entries.has(id);
    this.#entries.set(id, now + ttlSeconds * 1000);
    // Forgotten while in flight (a full store): remembered again, as the newest.
    if (!known) {
      this.#order.push(id);
      this.#evict(now);
    }
  }

  async release(id: string): Promise<void> {
    this.#entries.delete(id);
  }

  #evict(now: number): void {
    const order = this.#order;
    // Over the limit, forget the oldest claims; an entry whose id was released or already forgotten
    // is only dropped from the order (an id claimed again is forgotten a little early). The order
    // itself stays under twice the limit, so released ids cannot make it grow without bound.
    while (this.#entries.size > this.#maxEntries || order.length - this.#head > this.#maxEntries * 2) {
      this.#entries.delete(order[this.#head++] as string);
    }
    // Expired ids are swept every SWEEP_EVERY claims (a lookup already ignores an expired one),
    // from the oldest claim on, up to the first id still remembered for a while.
    if (++this.#claimsSinceSweep >= SWEEP_EVERY) {
      this.#claimsSinceSweep = 0;
      while (this.#head < order.length) {
        const id = order[this.#head] as string;
        const stamp = this.#entries.get(id);
        if (stamp !== undefined && Math.abs(stamp) > now) break;
        if (stamp !== undefined) this.#entries.delete(id);
        this.#head++;
      }
    }
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= order.length) {
      this.#order = order.slice(this.#head);
      this.#head = 0;
    }
  }
}
