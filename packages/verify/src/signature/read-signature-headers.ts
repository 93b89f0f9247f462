import { WebhookVerificationError } from '../errors/webhook-verification-error.js';
import { getHeader, type HeadersLike } from '../headers/get-header.js';
import { checkTimingOptions } from './check-timing-options.js';

/** How far, in seconds, a `webhook-timestamp` may be from the receiver's clock, past or future. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Length of an HMAC-SHA256 signature; a v1 entry of any other length never matches. */
export const SIGNATURE_BYTES = 32;

const DIGIT_0 = 48;
const COMMA = 44;

/** What `verify()` and `verifyAsync()` need. */
export interface VerifyOptions {
  /** The webhook's secret, or several while rotating: any one that matches is enough. */
  secret: string | readonly string[];
  /** The body exactly as received: the raw bytes, or the string they decode to. Never a re-serialised object. */
  payload: string | Uint8Array;
  /** The request's headers: fetch `Headers`, Node `IncomingHttpHeaders` or a plain object. */
  headers: HeadersLike;
  /** Largest accepted distance between `webhook-timestamp` and now, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** The receiver's clock. Default: the current time. */
  now?: Date;
}

/** What a verified request proves: its event id and the time of this attempt. */
export interface VerifiedWebhook {
  /** The `webhook-id`: the event's id, the same on every retry. */
  id: string;
  /** The `webhook-timestamp`, in Unix seconds. */
  timestamp: number;
}

/** The checked headers, ready for the HMAC: the signed id and timestamp, the v1 candidates, the secrets to try. */
export interface SignatureHeaders<Bytes extends Uint8Array> {
  id: string;
  timestamp: number;
  candidates: Bytes[];
  secrets: readonly string[];
}

/**
 * Every rule of verification that comes before the HMAC, shared by the node:crypto and the Web
 * Crypto back ends so both refuse the same requests with the same codes and messages: the three
 * headers, the timestamp and its window, the signature list, at least one secret.
 * `decodeSignature` turns one v1 entry's base64 into bytes (Buffer on Node, a pure decoder elsewhere).
 */
export function readSignatureHeaders<Bytes extends Uint8Array>(
  options: VerifyOptions,
  decodeSignature: (base64: string) => Bytes,
): SignatureHeaders<Bytes> {
  const { headers } = options;
  checkTimingOptions(options.toleranceSeconds, options.now);
  const id = getHeader(headers, 'webhook-id');
  const timestampHeader = getHeader(headers, 'webhook-timestamp');
  const signatureHeader = getHeader(headers, 'webhook-signature');
  if (!id) throw missing('webhook-id');
  if (!timestampHeader) throw missing('webhook-timestamp');
  if (!signatureHeader) throw missing('webhook-signature');

  const timestamp = parseTimestamp(timestampHeader);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = Math.floor((options.now ? options.now.getTime() : Date.now()) / 1000);
  if (now - timestamp > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `The webhook-timestamp is ${now - timestamp} s old, more than the ${tolerance} s allowed: a replayed request, or this server's clock is wrong.`,
    );
  }
  if (timestamp - now > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_new',
      `The webhook-timestamp is ${timestamp - now} s in the future, more than the ${tolerance} s allowed: check this server's clock (NTP).`,
    );
  }

  const candidates = parseSignatures(signatureHeader, decodeSignature);
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  if (secrets.length === 0) {
    throw new WebhookVerificationError('invalid_secret', 'No webhook secret was given; pass at least one.');
  }
  return { id, timestamp, candidates, secrets };
}

/** The error when no candidate matched any secret. */
export function noMatchingSignature(candidateCount: number): WebhookVerificationError {
  return new WebhookVerificationError(
    'no_matching_signature',
    candidateCount === 0
      ? 'The webhook-signature header has no v1 signature; this receiver verifies v1 (HMAC-SHA256) only.'
      : 'No v1 signature matches: the secret is wrong, or the body was changed after signing (verify the raw bytes, not re-serialised JSON).',
  );
}

function missing(name: string): WebhookVerificationError {
  return new WebhookVerificationError(
    'missing_header',
    `The ${name} header is missing; Caleida sends webhook-id, webhook-timestamp and webhook-signature with every call.`,
  );
}

function parseTimestamp(value: string): number {
  // Digits only, 1 to 12 of them, read in one loop: this runs on every request, and 12 digits stay
  // well inside a double's exact integers.
  let seconds = value.length >= 1 && value.length <= 12 ? 0 : Number.NaN;
  for (let index = 0; index < value.length && !Number.isNaN(seconds); index++) {
    const digit = value.charCodeAt(index) - DIGIT_0;
    seconds = digit >= 0 && digit <= 9 ? seconds * 10 + digit : Number.NaN;
  }
  if (Number.isNaN(seconds)) {
    throw new WebhookVerificationError(
      'invalid_timestamp',
      'The webhook-timestamp header must be whole Unix seconds (digits only, e.g. 1700000000).',
    );
  }
  return seconds;
}

/**
 * The decoded bytes of every `v1,` entry; other schemes are skipped, as the spec asks. Entries are
 * found by index rather than by splitting, so a one-entry header allocates only its base64 text.
 */
function parseSignatures<Bytes extends Uint8Array>(
  header: string,
  decodeSignature: (base64: string) => Bytes,
): Bytes[] {
  const signatures: Bytes[] = [];
  let wellFormed = 0;
  let start = 0;
  while (start <= header.length) {
    let end = header.indexOf(' ', start);
    if (end === -1) end = header.length;
    const comma = header.indexOf(',', start);
    // Node joins repeated headers with ", ": drop the separator comma when the entry has another.
    const last = header.charCodeAt(end - 1) === COMMA && end > start && comma < end - 1 ? end - 1 : end;
    if (comma > start && comma < last - 1) {
      wellFormed++;
      if (comma === start + 2 && header.startsWith('v1', start))
        signatures.push(decodeSignature(header.slice(comma + 1, last)));
    }
    start = end + 1;
  }
  if (wellFormed === 0) {
    throw new WebhookVerificationError(
      'malformed_signature',
      'The webhook-signature header is malformed: expected space-separated entries like "v1,<base64 signature>".',
    );
  }
  return signatures;
}
