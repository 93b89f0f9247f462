import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sign, verify } from '../src/index.js';
import { SECRET } from './helpers.js';

const NOW = 1_750_000_000;
const at = new Date(NOW * 1000);

function accepted(id: string, timestamp: string, payload: Uint8Array, signature: string): boolean {
  try {
    verify({
      secret: SECRET,
      payload,
      headers: { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
      now: at,
    });
    return true;
  } catch {
    return false;
  }
}

const body = fc.uint8Array({ minLength: 1, maxLength: 512 });
const id = fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/);
const offset = fc.integer({ min: -300, max: 300 });

describe('verify() properties', () => {
  it('accepts every correctly signed request', () => {
    fc.assert(
      fc.property(id, body, offset, (eventId, payload, delta) => {
        const timestamp = NOW + delta;
        return accepted(
          eventId,
          String(timestamp),
          payload,
          sign({ secret: SECRET, id: eventId, timestamp, payload }),
        );
      }),
    );
  });

  it('refuses a body with any one byte changed', () => {
    fc.assert(
      fc.property(
        id,
        body,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (eventId, payload, position, flip) => {
          const signature = sign({ secret: SECRET, id: eventId, timestamp: NOW, payload });
          const changed = Uint8Array.from(payload);
          const index = position % changed.length;
          changed[index] = (changed[index] as number) ^ flip;
          return !accepted(eventId, String(NOW), changed, signature);
        },
      ),
    );
  });

  it('refuses an id with any one character changed', () => {
    fc.assert(
      fc.property(id, body, fc.nat(), (eventId, payload, position) => {
        const signature = sign({ secret: SECRET, id: eventId, timestamp: NOW, payload });
        const index = position % eventId.length;
        const replacement = eventId[index] === 'x' ? 'y' : 'x';
        const changed = eventId.slice(0, index) + replacement + eventId.slice(index + 1);
        return !accepted(changed, String(NOW), payload, signature);
      }),
    );
  });

  it('refuses any other timestamp, even one inside the window', () => {
    fc.assert(
      fc.property(
        id,
        body,
        offset.filter((delta) => delta !== 0),
        (eventId, payload, delta) => {
          const signature = sign({ secret: SECRET, id: eventId, timestamp: NOW, payload });
          return !accepted(eventId, String(NOW + delta), payload, signature);
        },
      ),
    );
  });
});

describe('sign() properties', () => {
  it('always yields one v1 entry of 32 bytes', () => {
    fc.assert(
      fc.property(id, body, (eventId, payload) => {
        const signature = sign({ secret: SECRET, id: eventId, timestamp: NOW, payload });
        expect(signature.startsWith('v1,')).toBe(true);
        expect(Buffer.from(signature.slice(3), 'base64')).toHaveLength(32);
      }),
    );
  });
});
