import { signHeaders } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';

const template = buildEvent('message');

/** Posts a correctly signed `message` event with this id, freshly signed, and returns the status. */
export async function sendEvent(url: string, secret: string, id: string): Promise<Response> {
  const body = JSON.stringify({ ...template, id });
  const headers = signHeaders({ secret, id, payload: body });
  return fetch(url, { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
}
