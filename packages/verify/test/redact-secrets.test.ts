import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, generateEventId, generateSecret, REDACTED, redactSecrets } from '../src/index.js';
import { buildConversation, buildEvent, createRandom } from '../src/testing/index.js';

/** Random bytes from a seeded generator, so every run checks the same keys. */
function seededBytes(random: ReturnType<typeof createRandom>, count: number): Buffer {
  return Buffer.from(Array.from({ length: count }, () => random.int(0, 255)));
}

describe('redactSecrets()', () => {
  it('keeps whsec_ and 4 characters of a webhook secret and hides the rest', () => {
    expect(redactSecrets('Unknown argument: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(
      `Unknown argument: whsec_MfKQ${REDACTED}`,
    );
  });

  it('hides the mock server API key (cmk_) the same way', () => {
    expect(redactSecrets('Bearer cmk_q1W-9xZ_a8Bc7dE6fG5hI4jK3lM2nO1p')).toBe(`Bearer cmk_q1W-${REDACTED}`);
  });

  it('hides a secret wherever it stands: in quotes, in JSON, after a newline escape, in a URL', () => {
    const secret = generateSecret();
    const tail = secret.slice(10);
    for (const text of [
      `--url "${secret}" is not a URL`,
      JSON.stringify({ message: `bad type ${JSON.stringify(secret)}` }),
      JSON.stringify(`line\n${secret}`),
      `http://127.0.0.1:3000/hooks/${secret}?x=1`,
      `${secret},${secret}`,
    ]) {
      const redacted = redactSecrets(text);
      expect(redacted).not.toContain(tail);
      expect(redacted).toContain(`${secret.slice(0, 10)}${REDACTED}`);
    }
  });

  it('hides unprefixed keys: base64, base64url and hex of 18 to 64 random bytes', () => {
    const random = createRandom(20_261_128);
    for (let i = 0; i < 500; i++) {
      const key = seededBytes(random, random.int(18, 64));
      for (const encoded of [key.toString('base64'), key.toString('base64url'), key.toString('hex')]) {
        const redacted = redactSecrets(`got "${encoded}" there`);
        expect(redacted, encoded).toBe(`got "${encoded.slice(0, 4)}${REDACTED}" there`);
      }
    }
  });

  it('hides every generated whsec_ secret, whatever its length', () => {
    for (const bytes of [24, 32, 48, 64]) {
      for (let i = 0; i < 50; i++) {
        const secret = generateSecret(bytes);
        expect(redactSecrets(secret)).toBe(`${secret.slice(0, 10)}${REDACTED}`);
      }
    }
  });

  it('leaves ids, UUIDs, paths, URLs, times, numbers and prose alone', () => {
    const texts = [
      ...Array.from({ length: 200 }, () => generateEventId()),
      'dlv_0NmF3k2aZq8Xw1Yb2Ce3',
      'wh_4fQ9Zx1Yb2Ce3Dg4Fh5J',
      'msg_Ab1Cd2Ef3Gh4Ij5Kl6Mn',
      '123e4567-e89b-12d3-a456-426614174000',
      'Cannot read --data /tmp/caleida-sim-usage-aB1cD2/nope.json (no such file); check the path.',
      '/home/runner/work/caleida-webhooks/caleida-webhooks/packages/simulator/test/fixtures/events.jsonl',
      'Cannot reach http://127.0.0.1:9 (connection refused); is your server running?',
      'https://hooks.example.com/webhooks/caleida-production-eu-west-1/receiver',
      '2026-11-28T09:41:07.123Z',
      '200  message              evt_2Vd9kQ0xHc7LmT4pWb8sZr1n  3.1 ms',
      'Unknown event type "chat.created"; use one of: chat, message, insight.summary.',
      'pass --secret whsec_... or set CALEIDA_WEBHOOK_SECRET',
      'whsec_abc',
      'latency  p50 1.2 ms  p90 3.4 ms  p99 12.5 ms  max 40.1 ms  1234567890123456789012345',
    ];
    for (const text of texts) expect(redactSecrets(text), text).toBe(text);
  });

  it('leaves generated event payloads of every type alone', () => {
    for (let seed = 0; seed < 50; seed++) {
      for (const type of EVENT_TYPES) {
        const text = JSON.stringify(buildEvent(type, { seed }), null, 2);
        expect(redactSecrets(text)).toBe(text);
      }
      const conversation = JSON.stringify(buildConversation({ seed }));
      expect(redactSecrets(conversation)).toBe(conversation);
    }
  });

  it('gives the same text when run twice', () => {
    const text = `a ${generateSecret()} b cmk_q1W9xZa8Bc7dE6fG5hI4jK3lM2nO1p c ${'ab12'.repeat(10)}`;
    expect(redactSecrets(redactSecrets(text))).toBe(redactSecrets(text));
  });
});
