import { WebhookVerificationError } from '../errors/webhook-verification-error.js';
import { getHeader, type HeadersLike } from './get-header.js';

/** Headers that must arrive exactly once: a second copy would let a proxy and this receiver disagree. */
const SINGLE_HEADERS = ['content-type', 'webhook-id', 'webhook-timestamp'] as const;
const SINGLE_HEADER_LENGTHS: readonly number[] = SINGLE_HEADERS.map((name) => name.length);

/**
 * Refuses a request that sent `content-type`, `webhook-id` or `webhook-timestamp` more than once, with
 * `ambiguous_header`. On Node, `rawHeaders` tells exactly (Node itself keeps only the first
 * content-type and joins the others with ", "). Where only joined values exist (fetch `Headers`), a
 * comma is the sign: none of these headers holds one when sent once (`webhook-signature` may repeat:
 * each copy is a list of signatures, and any match is enough).
 */
export function findRepeatedHeader(headers: HeadersLike, rawHeaders?: readonly string[]): void {
  if (rawHeaders) {
    // One pass over the raw list; the three names have distinct lengths, so length picks the name.
    let seen = 0;
    for (let index = 0; index < rawHeaders.length; index += 2) {
      const key = rawHeaders[index] as string;
      const slot = SINGLE_HEADER_LENGTHS.indexOf(key.length);
      if (slot === -1) continue;
      const name = SINGLE_HEADERS[slot] as string;
      // Most senders write names in lowercase: compared as they are, no copy is made.
      if (key !== name && key.toLowerCase() !== name) continue;
      if (seen & (1 << slot)) throw repeated(name);
      seen |= 1 << slot;
    }
    return;
  }
  for (const name of SINGLE_HEADERS) {
    if (getHeader(headers, name)?.includes(',')) throw repeated(name);
  }
}

function repeated(name: string): WebhookVerificationError {
  return new WebhookVerificationError(
    'ambiguous_header',
    `The ${name} header was sent more than once (or holds a comma); Caleida sends it once: remove the extra copy, e.g. one added by a proxy.`,
  );
}

/**
 * Whether Node's raw header list holds `name` (lowercase), in any case: a header missing from it
 * was not sent, so a lookup needs no case-insensitive search of the parsed headers.
 */
export function rawHeadersInclude(rawHeaders: readonly string[], name: string): boolean {
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const key = rawHeaders[index] as string;
    if (key.length === name.length && (key === name || key.toLowerCase() === name)) return true;
  }
  return false;
}
