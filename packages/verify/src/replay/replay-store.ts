/** What a replay store knows about an event id when a request for it arrives. */
export type ReplayState = 'new' | 'in_flight' | 'processed';

/**
 * Remembers event ids so each is processed once. Async, so a shared store (Redis, a database) can
 * stand behind it when several processes receive the same webhook.
 */
export interface ReplayStore {
  /**
   * Claims an id. Returns `'new'` and marks it in flight when nobody has it; otherwise says whether
   * it is being processed right now or already was. `ttlSeconds` is how long a processed id must be
   * remembered.
   */
  claim(id: string, ttlSeconds: number): Promise<ReplayState>;
  /** Marks a claimed id processed: later copies are acknowledged without running handlers. */
  complete(id: string, ttlSeconds: number): Promise<void>;
  /** Forgets a claimed id whose processing failed, so Caleida's retry runs the handlers again. */
  release(id: string): Promise<void>;
}
