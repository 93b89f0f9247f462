import { findJsonError } from './find-json-error.js';

/** Where a JSON text stopped parsing. */
export interface JsonParseFailure {
  line: number;
  column: number;
  message: string;
}

/**
 * Parses JSON, and on failure says at which line and column, so a user can find the mistake.
 *
 * @example
 * const result = parseJsonText('{"a": 1,}'); // { ok: false, failure: { line: 1, column: 9, ... } }
 */
export function parseJsonText(
  text: string,
): { ok: true; value: unknown } | { ok: false; failure: JsonParseFailure } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const offset = Math.max(0, findJsonError(text));
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return {
      ok: false,
      failure: { line, column, message: shortMessage((error as Error).message) },
    };
  }
}

/** The 1-based line where `"key"` first appears in `text`, if it does. */
export function lineOfKey(text: string, key: string | number | undefined): number | undefined {
  if (key === undefined) return undefined;
  const index = text.indexOf(typeof key === 'number' ? '[' : `"${key}"`);
  return index < 0 ? undefined : text.slice(0, index).split('\n').length;
}

/** V8's message without the quoted input or the position, which the line and column replace. */
function shortMessage(message: string): string {
  return message.replace(/, (\.\.\.)?".*$/s, '').replace(/ in JSON at position \d+.*$/s, '');
}
