import type { z } from 'zod';
import type { EventType } from './event-types.js';
import type { dataSchemas, eventSchemas } from './schemas.js';

/** The body of an event of type `T`, as validated (e.g. `WebhookEventOf<'message'>`). */
export type WebhookEventOf<T extends EventType> = z.output<(typeof eventSchemas)[T]>;

/** The `data` of an event of type `T`. */
export type EventData<T extends EventType> = z.output<(typeof dataSchemas)[T]>;

/** The body of any of the seven events: `event.type === 'insight.sentiment'` narrows `event.data`. */
export type WebhookEvent = { [T in EventType]: WebhookEventOf<T> }[EventType];

/**
 * An event whose type this version does not know (Caleida added one). It is acknowledged, not
 * rejected, so new events never break a receiver; `receivedType` is the type as sent.
 */
export interface UnknownEvent {
  type: 'unknown';
  receivedType: string;
  timestamp: string;
  data: unknown;
}

/** What `parseEvent()` returns. */
export type ParsedEvent = WebhookEvent | UnknownEvent;

/** A verified event: its body plus the `webhook-id`, which is the event's id and the same on every retry. */
export type ReceivedEvent<E extends ParsedEvent = ParsedEvent> = E & {
  /** The `webhook-id` header: the event id. Use it to make handlers idempotent. */
  id: string;
};

/** A verified event of type `T`. */
export type ReceivedEventOf<T extends EventType | 'unknown'> = T extends EventType
  ? ReceivedEvent<WebhookEventOf<T>>
  : ReceivedEvent<UnknownEvent>;
