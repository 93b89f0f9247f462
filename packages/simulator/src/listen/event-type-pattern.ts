import { EVENT_TYPES } from '@caleida/verify';
import { UsageError } from '../usage-error.js';

/** A glob on event types: `*` stands for any run of characters, dots included (`insight.*`). */
export interface EventTypePattern {
  pattern: string;
  matches(type: string): boolean;
}

/**
 * Compiles an event-type glob, e.g. `message` or `insight.*`. A pattern that matches none of the
 * seven known types is a `UsageError` (almost always a typo); `option` names the flag in the message.
 *
 * @example
 * eventTypePattern('insight.*', '--events').matches('insight.topic'); // true
 */
export function eventTypePattern(pattern: string, option: string): EventTypePattern {
  const trimmed = pattern.trim();
  if (!/^[A-Za-z0-9._*-]+$/.test(trimmed)) {
    throw new UsageError(
      'invalid_option',
      `${option} "${pattern}" is not an event type or glob; use names like message or insight.* (${EVENT_TYPES.join(', ')}).`,
    );
  }
  const source = trimmed.replace(/[.]/g, '\\.').replace(/\*/g, '.*');
  const regex = new RegExp(`^${source}$`);
  const matches = (type: string) => regex.test(type);
  if (!EVENT_TYPES.some(matches)) {
    throw new UsageError(
      'unknown_event_type',
      `${option} "${pattern}" matches no event type; the types are ${EVENT_TYPES.join(', ')} (globs: insight.*).`,
    );
  }
  return { pattern: trimmed, matches };
}
