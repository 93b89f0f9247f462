/** What a replay store knows about an event id when a request for it arrives. */
export type ReplayState = 'new' | 'in_flight' | 'processed';

/**
 * The answer of `ReplayStore.claim()`: the id is now ours (with the token that proves it), someone
 * else holds a live claim on it, or it was already processed.
 */
export type ReplayClaim = { state: 'new'; token: string } | { state: 'in_flight' } | { state: 'processed' };

/** Options of `ReplayStore.claim()`. */
export interface ReplayClaimOptions {
  /**
   * How long the claim holds, in seconds. A claim not settled by then (its process crashed) lapses,
   * and the next copy of the id claims it afresh.
   */
  leaseSeconds: number;
}

/** Options of `ReplayStore.complete()`. */
export interface ReplayCompleteOptions {
  /** How long a processed id is remembered, in seconds: copies within it are acknowledged unprocessed. */
  retentionSeconds: number;
}

/**
 * Remembers event ids so each is processed once. Async, so a shared store (Redis, PostgreSQL) can
 * stand behind it when several processes receive the same webhook. A claim carries a token, and
 * only the holder of that token can settle it, so an instance whose lease lapsed cannot release or
 * complete the claim another instance took since.
 */
export interface ReplayStore {
  /**
   * Claims an id for `leaseSeconds`. Returns `{ state: 'new', token }` when nobody holds it (its
   * earlier claim, if any, lapsed or was released); otherwise whether it is in flight elsewhere or
   * was already processed.
   */
  claim(id: string, options: ReplayClaimOptions): Promise<ReplayClaim>;
  /**
   * Marks a claimed id processed for `retentionSeconds`. Does nothing when another claim took the id
   * since (this one's lease lapsed); marks it processed when nobody holds it any more.
   */
  complete(id: string, token: string, options: ReplayCompleteOptions): Promise<void>;
  /** Forgets a claim whose processing failed, so the next copy runs again; only with its own token. */
  release(id: string, token: string): Promise<void>;
}
