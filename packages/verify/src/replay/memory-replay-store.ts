import type { ReplayClaim, ReplayClaimOptions, ReplayCompleteOptions, ReplayStore } from './replay-store.js';

/** Options of the in-memory replay store. */
export interface MemoryReplayStoreOptions {
  /** Most ids remembered at once; the oldest are forgotten first. Default 100,000. */
  maxEntries?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
}

const SWEEP_EVERY = 256;
const COMPACT_AFTER = 4096;

// A processed id maps to its expiry time in ms, a number: with 100,000 ids held for the whole
// window, an object per id would make the long-lived heap, which garbage collection pays for, larger.
// An id in flight maps to a small record with its lease's end and its token, so that a claim is one
// map write, and the record dies young (complete() replaces it with the number).
interface Lease {
  readonly expiresAt: number;
  readonly token: string;
}
type Stamp = number | Lease;

const IN_FLIGHT: ReplayClaim = Object.freeze({ state: 'in_flight' });
const PROCESSED: ReplayClaim = Object.freeze({ state: 'processed' });

/**
 * The default replay store: a bounded map in this process. It protects one process only, and
 * forgets everything on restart: with several instances, use a shared store
 * (`@caleida/replay-store-redis`, `@caleida/replay-store-postgres`). When full, the oldest ids go
 * first.
 *
 * @example
 * createReceiver({ secret, replayStore: new MemoryReplayStore({ maxEntries: 10_000 }) });
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #entries = new Map<string, Stamp>();
  // A counter is enough: tokens only need be unique in this store.
  #lastToken = 0;
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

  async claim(id: string, options: ReplayClaimOptions): Promise<ReplayClaim> {
    return this.claimSync(id, options);
  }

  async complete(id: string, token: string, options: ReplayCompleteOptions): Promise<void> {
    this.completeSync(id, token, options);
  }

  async release(id: string, token: string): Promise<void> {
    this.releaseSync(id, token);
  }

  /**
   * `claim()` without the promise: the receiver calls this form on a store in its own process,
   * which cannot hang, so it needs neither a deadline nor a tick per call.
   */
  claimSync(id: string, { leaseSeconds }: ReplayClaimOptions): ReplayClaim {
    const now = this.#now();
    const stamp = this.#entries.get(id);
    if (stamp !== undefined) {
      if (typeof stamp === 'number') {
        if (stamp > now) return PROCESSED;
      } else if (stamp.expiresAt > now) return IN_FLIGHT;
    }
    const token = (++this.#lastToken).toString(36);
    this.#entries.set(id, { expiresAt: now + leaseSeconds * 1000, token });
    this.#order.push(id);
    this.#evict(now);
    return { state: 'new', token };
  }

  /** `complete()` without the promise (see `claimSync()`). */
  completeSync(id: string, token: string, { retentionSeconds }: ReplayCompleteOptions): void {
    const now = this.#now();
    const stamp = this.#entries.get(id);
    // Another claim took the id after this one lapsed, or it was processed meanwhile: leave it be.
    if (
      stamp !== undefined &&
      expiresAt(stamp) > now &&
      (typeof stamp === 'number' || stamp.token !== token)
    ) {
      return;
    }
    this.#entries.set(id, now + retentionSeconds * 1000);
    // Forgotten while in flight (a full store): remembered again, as the newest.
    if (stamp === undefined) {
      this.#order.push(id);
      this.#evict(now);
    }
  }

  /** `release()` without the promise (see `claimSync()`). */
  releaseSync(id: string, token: string): void {
    const stamp = this.#entries.get(id);
    if (stamp === undefined || typeof stamp === 'number' || stamp.token !== token) return;
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
        if (stamp !== undefined && expiresAt(stamp) > now) break;
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

function expiresAt(stamp: Stamp): number {
  return typeof stamp === 'number' ? stamp : stamp.expiresAt;
}
