import { UsageError } from '../usage-error.js';

/**
 * Turns repeated `--header K:V` options into a header object (names lower-cased).
 *
 * @example
 * parseHeaders(['x-tenant: acme']); // { 'x-tenant': 'acme' }
 */
export function parseHeaders(values: unknown): Record<string, string> {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  const headers: Record<string, string> = {};
  for (const value of list) {
    const text = String(value);
    const colon = text.indexOf(':');
    const name = text.slice(0, colon).trim().toLowerCase();
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
      throw new UsageError(
        'invalid_option',
        `--header "${text}" is not a header; write it as name:value, e.g. --header "x-tenant: acme".`,
      );
    }
    headers[name] = text.slice(colon + 1).trim();
  }
  return headers;
}
