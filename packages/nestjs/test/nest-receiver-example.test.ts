import type { ReceivedEvent } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { describe, expect, it } from 'vitest';
import { startNestReceiver } from '../../../examples/nest-receiver.js';
import { PLATFORMS } from './start-nest-app.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WRONG_SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ==';

describe.each(PLATFORMS)('examples/nest-receiver.ts on %s', (platform) => {
  it('hands a signed event to onEvent with 200 and answers a forged one 401', async () => {
    const received: ReceivedEvent[] = [];
    const running = await startNestReceiver(
      { secret: SECRET, port: 0, onEvent: (event) => void received.push(event) },
      platform,
    );
    try {
      const send = async (secret: string) => {
        const request = signedRequest({ secret, event: buildEvent('chat') });
        const response = await fetch(running.url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
        });
        return { id: request.id, status: response.status };
      };
      const signed = await send(SECRET);
      const forged = await send(WRONG_SECRET);
      expect([signed.status, forged.status]).toEqual([200, 401]);
      expect(received.map((event) => event.id)).toEqual([signed.id]);
    } finally {
      await running.close();
    }
  });
});
