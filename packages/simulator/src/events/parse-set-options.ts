import { UsageError } from '../usage-error.js';

/** One `--set path=value`, parsed. */
export interface EventOverride {
  /** What the user typed, to quote in errors. */
  source: string;
  /** The path into the event, e.g. `['data', 'topics', 0, 'name']`. */
  path: (string | number)[];
  value: unknown;
}

// Keys that would reach Object.prototype instead of the event.
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Parses `--set` options: `data.author.name=Ana`, `data.topics.0.confidence=0.4`. A value is taken as
 * JSON when it parses as JSON (`42`, `true`, `null`, `{"a":1}`, `"42"`), else as the text written.
 * Only `data.…` and `timestamp` (when `allowTimestamp`) may be set; anything else is a `UsageError`.
 *
 * @example
 * parseSetOptions(['data.role=agent']); // [{ path: ['data', 'role'], value: 'agent', ... }]
 */
export function parseSetOptions(
  values: readonly string[] = [],
  { allowTimestamp = true }: { allowTimestamp?: boolean } = {},
): EventOverride[] {
  return values.map((source) => {
    const equals = source.indexOf('=');
    if (equals <= 0) {
      throw new UsageError(
        'invalid_option',
        `--set "${source}" needs the form path=value, e.g. --set data.content="Hello" or --set data.role=agent.`,
      );
    }
    const rawPath = source.slice(0, equals);
    const segments = rawPath.split('.');
    const allowed = allowTimestamp ? 'data.… or timestamp' : 'data.…';
    const isTimestamp = rawPath === 'timestamp';
    if (isTimestamp && !allowTimestamp) {
      throw new UsageError(
        'invalid_option',
        `--set ${rawPath}: the mock server stamps the event's timestamp itself; only ${allowed} paths can be set here.`,
      );
    }
    if (!isTimestamp && (segments[0] !== 'data' || segments.length < 2)) {
      throw new UsageError(
        'invalid_option',
        `--set ${rawPath}: only ${allowed} paths can be set (e.g. data.content); the type is the command's argument.`,
      );
    }
    const path = segments.map((segment) => {
      if (segment === '' || FORBIDDEN_KEYS.has(segment)) {
        throw new UsageError(
          'invalid_option',
          `--set ${rawPath}: "${segment}" is not a valid path segment; write keys separated by dots, e.g. data.author.name.`,
        );
      }
      return /^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment;
    });
    return { source, path, value: parseValue(source.slice(equals + 1)) };
  });
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
