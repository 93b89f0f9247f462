import type { EventData, WebhookEvent, WebhookEventOf } from '../events/event.js';
import type { EventType } from '../events/event-types.js';
import { conversationEvents } from './build-conversation.js';

/** Options of `buildEvent()`. */
export interface BuildEventOptions<T extends EventType> {
  /** Same seed, same event. Default: random. */
  seed?: number;
  /** Fields that replace the generated ones in `data` (shallow). */
  data?: Partial<EventData<T>>;
  /** The envelope's `timestamp`. Default: the generated one. */
  timestamp?: Date;
}

/**
 * A realistic, schema-valid event of any of the seven types, taken from a generated conversation.
 *
 * @example
 * const event = buildEvent('insight.sentiment', { data: { sentiment: 'negative', score: -0.8 } });
 */
export function buildEvent<T extends EventType>(
  type: T,
  options: BuildEventOptions<T> = {},
): WebhookEventOf<T> {
  // The conversation is built only up to the first event of this type.
  let event: WebhookEvent | undefined;
  for (const candidate of conversationEvents({ seed: options.seed })) {
    if (candidate.type === type) {
      event = candidate;
      break;
    }
  }
  if (!event) throw new TypeError(`@caleida/verify/testing: no fixture for event type "${String(type)}".`);
  const built = { ...event, data: { ...event.data, ...options.data } } as WebhookEventOf<T>;
  if (options.timestamp) built.timestamp = options.timestamp.toISOString();
  return built;
}
