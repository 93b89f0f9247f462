import { randomBase62 } from '../ids/random-base62.js';

/** Random characters after `evt_` in an event id. */
const EVENT_ID_CHARS = 24;

/**
 * Makes a new `webhook-id`: `evt_` and 24 random base62 characters. The id is the event's: it stays
 * the same on every retry, which is what lets receivers drop duplicates.
 *
 * @example
 * generateEventId(); // 'evt_2Vd9kQ0xHc7LmT4pWb8sZr1n'
 */
export function generateEventId(): string {
  return `evt_${randomBase62(EVENT_ID_CHARS)}`;
}
