import { EVENT_TYPES, type EventType, isEventType } from '@caleida/verify';
import { UsageError } from '../usage-error.js';

/**
 * Checks an event type given on the command line; an unknown one lists the seven valid types.
 *
 * @example
 * parseEventType('insight.summary');
 */
export function parseEventType(value: unknown): EventType {
  if (isEventType(value)) return value;
  throw new UsageError(
    'unknown_event_type',
    `Unknown event type "${String(value)}"; use one of: ${EVENT_TYPES.join(', ')}.`,
  );
}
