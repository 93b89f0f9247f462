import { randomBytes } from 'node:crypto';
import { generateEventId, generateSecret, sign, verify } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import { describe, expect, it } from 'vitest';
import { createBodyPicker } from '../src/load/create-body-picker.js';
import { LoadSigner } from '../src/load/load-signer.js';

const now = () => String(Math.floor(Date.now() / 1000));
const body = JSON.stringify(buildEvent('message', { seed: 3 }));

describe('LoadSigner.sign()', () => {
  it.each([
    ['a generated whsec_ secret (32 bytes)', generateSecret()],
    ['a whsec_ secret of 24 bytes', `whsec_${randomBytes(24).toString('base64')}`],
    ['a whsec_ secret of 64 bytes, a whole block', `whsec_${randomBytes(64).toString('base64')}`],
    ['a plain secret longer than a block, which HMAC hashes first', `pässwörd-${'x'.repeat(80)}`],
  ])('signs as sign() does with %s', (_, secret) => {
    const signer = new LoadSigner(secret);
    const prepared = signer.prepare(body);
    for (let round = 0; round < 3; round++) {
      const id = generateEventId();
      const timestamp = now();
      expect(signer.sign(prepared, id, timestamp)).toBe(
        sign({ secret, id, timestamp: Number(timestamp), payload: body }),
      );
    }
  });

  it('signs bodies with multi-byte characters over their UTF-8 bytes, and verify() accepts them', () => {
    const secret = generateSecret();
    const signer = new LoadSigner(secret);
    const text = JSON.stringify({ type: 'message', data: { text: 'Grüße, 世界 🙂' } });
    const prepared = signer.prepare(text);
    const id = generateEventId();
    const timestamp = now();
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': signer.sign(prepared, id, timestamp),
    };
    expect(verify({ secret, payload: prepared.bytes, headers }).id).toBe(id);
  });

  it('signs an id of another length or with other characters through sign(), leaving the body intact', () => {
    const secret = generateSecret();
    const signer = new LoadSigner(secret);
    const prepared = signer.prepare(body);
    const timestamp = now();
    // Forty characters like a generated prefix, but 'é' takes two bytes in UTF-8.
    for (const id of ['evt_short', `evt_${'é'.repeat(24)}`, 'msg_2Vd9kQ0xHc7LmT4pWb8sZr1n_retry']) {
      expect(signer.sign(prepared, id, timestamp)).toBe(
        sign({ secret, id, timestamp: Number(timestamp), payload: body }),
      );
    }
    const id = generateEventId();
    expect(signer.sign(prepared, id, timestamp)).toBe(
      sign({ secret, id, timestamp: Number(timestamp), payload: body }),
    );
  });
});

describe('createBodyPicker()', () => {
  it('draws only the event types of the mix, by their weights', () => {
    const pickBody = createBodyPicker(
      [
        ['message', 3],
        ['chat', 1],
      ],
      new LoadSigner(generateSecret()),
    );
    const counts = new Map<string, number>();
    for (let draw = 0; draw < 4000; draw++) {
      const { type } = JSON.parse(pickBody().text) as { type: string };
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['chat', 'message']);
    // 3000 expected; 2800 and 3200 are about seven standard deviations away.
    expect(counts.get('message')).toBeGreaterThan(2800);
    expect(counts.get('message')).toBeLessThan(3200);
  });

  it('refuses a mix that names no event type with a weight', () => {
    expect(() => createBodyPicker([], new LoadSigner(generateSecret()))).toThrow(
      'The load mix needs at least one event type with a weight above 0.',
    );
  });
});
