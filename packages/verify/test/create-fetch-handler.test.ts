import { describe, expect, it } from 'vitest';
import { createFetchHandler, createReceiver } from '../src/index.js';
import { SECRET, validRequest } from './helpers.js';

const url = 'http://127.0.0.1/webhooks/caleida';

describe('createFetchHandler()', () => {
  it('answers a real Request with a Response, running the receiver handlers', async () => {
    const seen: string[] = [];
    const handler = createFetchHandler(
      createReceiver({ secret: SECRET }).on('message', (event) => void seen.push(event.id)),
    );
    const request = validRequest();
    const response = await handler(
      new Request(url, { method: 'POST', headers: request.headers, body: request.body }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ received: true, id: request.id });
    expect(seen).toEqual([request.id]);
  });

  it('builds its own receiver from options', async () => {
    const handler = createFetchHandler({ secret: SECRET });
    const request = validRequest();
    const response = await handler(
      new Request(url, { method: 'POST', headers: request.headers, body: request.body }),
    );
    expect(response.status).toBe(200);
  });

  it('answers 401 for a wrong signature and 405 for GET', async () => {
    const handler = createFetchHandler({ secret: SECRET });
    const request = validRequest();
    const tampered = await handler(
      new Request(url, {
        method: 'POST',
        headers: request.headers,
        body: request.body.replace('message', 'massage'),
      }),
    );
    const get = await handler(new Request(url, { method: 'GET', headers: request.headers }));
    expect(tampered.status).toBe(401);
    expect((await tampered.json()).code).toBe('no_matching_signature');
    expect(get.status).toBe(405);
  });

  it('refuses a Request whose body was already read, with the fix', async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: { error: () => {} } });
    const request = validRequest();
    const fetchRequest = new Request(url, { method: 'POST', headers: request.headers, body: request.body });
    await fetchRequest.json();
    const response = await handler(fetchRequest);
    expect(response.status).toBe(500);
    expect((await response.json()).message).toContain('request.json()');
  });
});
