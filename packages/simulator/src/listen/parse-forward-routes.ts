import { parseUrl } from '../options/parse-url.js';
import { UsageError } from '../usage-error.js';
import { type EventTypePattern, eventTypePattern } from './event-type-pattern.js';

/** Where events of some types are forwarded. */
export interface ForwardRoute {
  types: EventTypePattern;
  url: URL;
}

/**
 * Parses `--forward TYPE=URL` values (`message=http://localhost:3001/hook`,
 * `insight.*=http://localhost:3002/hook`), in the order given: the first route whose glob matches an
 * event's type gets it.
 *
 * @example
 * parseForwardRoutes(['message=http://localhost:3001/hook']);
 */
export function parseForwardRoutes(values: readonly string[] = []): ForwardRoute[] {
  return values.map((value) => {
    const equals = value.indexOf('=');
    if (equals <= 0) {
      throw new UsageError(
        'invalid_option',
        `--forward "${value}" needs the form TYPE=URL, e.g. --forward message=http://localhost:3001/hook (or --forward-to URL for every event).`,
      );
    }
    return {
      types: eventTypePattern(value.slice(0, equals), '--forward'),
      url: parseUrl(value.slice(equals + 1), `--forward ${value.slice(0, equals)}=URL:`),
    };
  });
}
