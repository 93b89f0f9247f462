import { UsageError } from '../usage-error.js';

/**
 * Checks a URL given on the command line: it must parse and use http or https.
 *
 * @example
 * parseUrl('http://127.0.0.1:3000/webhooks', '--url');
 */
export function parseUrl(value: unknown, option: string): URL {
  const text = String(value ?? '');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      'invalid_url',
      `${option} "${text}" is not a URL; write it in full, e.g. http://localhost:3000/webhooks/caleida.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      'invalid_url',
      `${option} "${text}" uses ${url.protocol.replace(':', '')}; use an http:// or https:// URL.`,
    );
  }
  return url;
}
