import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sign, verify, verifyAsync, WebhookVerificationError } from '../src/index.js';
import { SECRET } from './helpers.js';

const NOW = 1_750_000_000;
const at = new Date(NOW * 1000);
const ID = 'msg_header_properties';
const PAYLOAD = '{"type":"chat"}';
const VALID = sign({ secret: SECRET, id: ID, timestamp: NOW, payload: PAYLOAD });
const OTHER = sign({
  secret: `whsec_${Buffer.alloc(24, 7).toString('base64')}`,
  id: ID,
  timestamp: NOW,
  payload: PAYLOAD,
});

/** The rules for a signature header, written as plainly as possible: the model the verifier must match. */
function expectedOutcome(header: string): string {
  let wellFormed = 0;
  const v1: string[] = [];
  for (const raw of header.split(' ')) {
    const entry = raw.endsWith(',') && raw.indexOf(',') !== raw.length - 1 ? raw.slice(0, -1) : raw;
    const comma = entry.indexOf(',');
    if (entry === '' || comma <= 0 || comma === entry.length - 1) continue;
    wellFormed++;
    if (comma === 2 && entry.startsWith('v1')) v1.push(entry.slice(3));
  }
  if (wellFormed === 0) return 'malformed_signature';
  const expected = VALID.slice(3);
  return v1.some((base64) => Buffer.from(base64, 'base64').equals(Buffer.from(expected, 'base64')))
    ? 'accepted'
    : 'no_matching_signature';
}

function outcomeOf(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.code;
    throw error;
  }
}

const headersWith = (signature: string, timestamp = String(NOW)) => ({
  'webhook-id': ID,
  'webhook-timestamp': timestamp,
  'webhook-signature': signature,
});

// Headers assembled from the pieces that matter: separators, schemes, right and wrong signatures.
const signatureHeader = fc
  .array(fc.constantFrom(' ', ',', ', ', 'v1', 'v1,', 'v2,abc', VALID, OTHER, VALID.slice(3), 'x', '='), {
    minLength: 1,
    maxLength: 8,
  })
  .map((pieces) => pieces.join(''))
  .filter((header) => header !== '');

describe('signature header parsing', () => {
  it('accepts, refuses as malformed or refuses as unmatched exactly as the rules say', () => {
    fc.assert(
      fc.property(signatureHeader, (header) => {
        const got = outcomeOf(() =>
          verify({ secret: SECRET, payload: PAYLOAD, headers: headersWith(header), now: at }),
        );
        expect(got).toBe(expectedOutcome(header));
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives the Web Crypto path the same outcome for every header', async () => {
    await fc.assert(
      fc.asyncProperty(signatureHeader, async (header) => {
        const got = await verifyAsync({
          secret: SECRET,
          payload: PAYLOAD,
          headers: headersWith(header),
          now: at,
        })
          .then(() => 'accepted')
          .catch((error: WebhookVerificationError) => error.code);
        expect(got).toBe(expectedOutcome(header));
      }),
      { numRuns: 300 },
    );
  });

  it('takes a webhook-timestamp of 1 to 12 digits and refuses anything else as invalid', () => {
    const timestamp = fc.stringMatching(/^[0-9a+\-. :/]{1,14}$/);
    fc.assert(
      fc.property(timestamp, (value) => {
        const got = outcomeOf(() =>
          verify({ secret: SECRET, payload: PAYLOAD, headers: headersWith(VALID, value), now: at }),
        );
        if (/^\d{1,12}$/.test(value)) expect(got).not.toBe('invalid_timestamp');
        else expect(got).toBe('invalid_timestamp');
      }),
      { numRuns: 2_000 },
    );
  });
});
