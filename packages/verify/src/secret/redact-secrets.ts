import { SECRET_PREFIX } from './decode-secret.js';

/** What replaces the hidden part of a secret. */
export const REDACTED = '…[redacted]';

/** Characters of a secret kept (after its `whsec_` or `cmk_` prefix) so it can be recognised. */
const KEEP = 4;
// The Caleida mock server's API keys.
const API_KEY_PREFIX = 'cmk_';
// A run of base64 / base64url characters, with its padding.
const RUN = /[A-Za-z0-9+/_-]+={0,2}/g;
const PREFIXED = new RegExp(`${SECRET_PREFIX}|${API_KEY_PREFIX}`);
// Shortest unprefixed run taken for a key: 18 random bytes in base64.
const MIN_KEY_CHARS = 24;
// A hex key as long as a 128-bit one is a key however its digits and letters fall.
const MIN_HEX_KEY_CHARS = 32;
// Random base64 changes between upper case, lower case and digit at about 60% of neighbouring
// characters, random hex at about 45%; words and file paths (`/tmp/run-aB12cD/out`) at under 20%.
const MIN_CLASS_CHANGES = 0.25;
// The ids this toolkit makes: `evt_` and 24 characters, `dlv_`, `wh_`, `chat_`, ... and 20.
const ID = /^[a-z]{2,8}_(?:[A-Za-z0-9]{20}|[A-Za-z0-9]{24})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Hides anything in `text` that looks like a secret or key, keeping its first characters so a
 * person can still tell which one it was: `whsec_` webhook secrets, `cmk_` API keys, and any other
 * run of 24 or more base64, base64url or hex characters that reads as random (digits, upper and
 * lower case mixed, not a word, file path, UUID or `prefix_` id). Use it on every error and log line that may
 * contain what a user typed, since a secret pasted into the wrong option ends up in the message.
 *
 * @param text A line (or lines) about to be printed or logged.
 * @returns The text, each secret cut to its first characters and `…[redacted]`.
 * @example
 * redactSecrets('Unknown argument: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
 * // 'Unknown argument: whsec_MfKQ…[redacted]'
 */
export function redactSecrets(text: string): string {
  return text.replace(RUN, (run) => {
    const prefixed = PREFIXED.exec(run);
    if (prefixed) {
      const keep = prefixed.index + prefixed[0].length + KEEP;
      return run.length > keep ? `${run.slice(0, keep)}${REDACTED}` : run;
    }
    return looksLikeKey(run) ? `${run.slice(0, KEEP)}${REDACTED}` : run;
  });
}

function looksLikeKey(run: string): boolean {
  const chars = run.replace(/=+$/, '');
  if (chars.length < MIN_KEY_CHARS || ID.test(chars) || UUID.test(chars)) return false;
  const classes = [/[0-9]/, /[A-Z]/, /[a-z]/].filter((each) => each.test(chars)).length;
  // One base64 key in 60 has no digit in its first 24 characters, so mixed case alone counts too.
  if (classes < 2) return false;
  if (chars.length >= MIN_HEX_KEY_CHARS && /^[0-9a-fA-F]+$/.test(chars)) return true;
  let changes = 0;
  for (let i = 1; i < chars.length; i++) {
    const before = charClass(chars.charCodeAt(i - 1));
    const after = charClass(chars.charCodeAt(i));
    if (before !== 0 && after !== 0 && before !== after) changes++;
  }
  return changes / (chars.length - 1) >= MIN_CLASS_CHANGES;
}

/** 1 digit, 2 upper case, 3 lower case, 0 anything else. */
function charClass(code: number): number {
  if (code >= 48 && code <= 57) return 1;
  if (code >= 65 && code <= 90) return 2;
  if (code >= 97 && code <= 122) return 3;
  return 0;
}
