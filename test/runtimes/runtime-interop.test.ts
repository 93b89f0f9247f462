import { verify } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyCall } from './receiver-app.js';
import {
  RECEIVER_WORKER,
  RUNTIMES,
  type RunningServer,
  startRuntime,
  startTestProcessBridge,
} from './start-runtime.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ==';

/** The public Standard Webhooks test vector, checked at its own time. */
const VECTOR: VerifyCall = {
  secret: SECRET,
  payload: '{"test": 2432232314}',
  headers: {
    'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    'webhook-timestamp': '1614265330',
    'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
  now: 1614265330,
};

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Headers signed by the standardwebhooks or svix library, as Standard Webhooks senders do. */
function signedBy(
  library: 'standardwebhooks' | 'svix',
  secret: string,
  body: string,
): Record<string, string> {
  const at = new Date();
  const id = `evt_${library}_${at.getTime()}`;
  const signer = library === 'svix' ? new SvixWebhook(secret) : new StandardWebhook(secret);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signer.sign(id, at, body),
  };
}

/** verify() on Node, described as /verify answers: the value, or the error's name, code and message. */
function outcomeOnNode(call: VerifyCall): object {
  try {
    return {
      value: verify({
        ...call,
        ...(call.now === undefined ? {} : { now: new Date(call.now * 1000) }),
      } as Parameters<typeof verify>[0]),
    };
  } catch (error) {
    const { name, code, message } = error as Error & { code?: string };
    return { error: { name, code, message } };
  }
}

/** The Standard Webhooks vectors and the edge cases of verify(), each as a /verify call. */
function verifyCalls(): [string, VerifyCall][] {
  const body = JSON.stringify(buildEvent('chat', { seed: 5 }));
  const own = signedRequest({ secret: SECRET, event: body });
  const headers = { ...own.headers };
  const signature = headers['webhook-signature'];
  const now = Number(headers['webhook-timestamp']);
  const at = (changes: Partial<VerifyCall>): VerifyCall => ({
    secret: SECRET,
    payload: body,
    headers,
    now,
    ...changes,
  });
  return [
    ['the Standard Webhooks test vector', VECTOR],
    ['the test vector with its body changed', { ...VECTOR, payload: '{"test": 2432232315}' }],
    ['the test vector 301 s later', { ...VECTOR, now: 1614265330 + 301 }],
    [
      'a body signed by the standardwebhooks library',
      at({ headers: signedBy('standardwebhooks', SECRET, body), now: nowSeconds() }),
    ],
    ['a body signed by the svix library', at({ headers: signedBy('svix', SECRET, body), now: nowSeconds() })],
    [
      'a body signed by the standardwebhooks library with another secret',
      at({ headers: signedBy('standardwebhooks', OTHER_SECRET, body), now: nowSeconds() }),
    ],
    ['a body signed by @caleida/verify', at({})],
    ['rotation: the second of two secrets', at({ secret: [OTHER_SECRET, SECRET] })],
    ['a wrong secret', at({ secret: OTHER_SECRET })],
    [
      'an unknown v2 scheme only',
      at({ headers: { ...headers, 'webhook-signature': signature.replace('v1,', 'v2,') } }),
    ],
    [
      'the URL-safe alphabet without padding',
      at({
        headers: {
          ...headers,
          'webhook-signature': `v1,${signature.slice(3).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`,
        },
      }),
    ],
    ['a malformed signature header', at({ headers: { ...headers, 'webhook-signature': 'garbage' } })],
    ['no webhook-id', at({ headers: { ...headers, 'webhook-id': '' } })],
    ['a timestamp with letters', at({ headers: { ...headers, 'webhook-timestamp': '1674087231abc' } })],
    ['a timestamp 301 s in the future', at({ now: now - 301 })],
    ['a custom tolerance of 10 s, 30 s late', at({ now: now + 30, toleranceSeconds: 10 })],
    ['a short plain secret', at({ secret: 'hunter2' })],
    ['a whsec_ secret that is not base64', at({ secret: 'whsec_!!!not-base64!!!' })],
    ['a whsec_ key too short', at({ secret: 'whsec_c2hvcnQ=' })],
    ['no secret at all', at({ secret: [] })],
    [
      'a body with multibyte characters',
      (() => {
        const text = JSON.stringify({ type: 'message', note: 'héllo 👋🏽 — 日本語' });
        return {
          secret: SECRET,
          payload: text,
          headers: signedRequest({ secret: SECRET, event: text }).headers,
          now: nowSeconds(),
        };
      })(),
    ],
  ];
}

describe.each(RUNTIMES)('the Web build in %s', (runtime) => {
  let bridge: RunningServer;
  let server: RunningServer;
  const events: unknown[] = [];

  beforeAll(async () => {
    bridge = await startTestProcessBridge({ run: async (event) => void events.push(event), log: () => {} });
    server = await startRuntime(runtime, RECEIVER_WORKER, {
      CALEIDA_RUNTIME_CONFIG: JSON.stringify({
        secret: SECRET,
        maxBodyBytes: 1024 * 1024,
        testProcessUrl: bridge.url,
      }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await bridge?.close();
  });

  it.each(verifyCalls())('verifyAsync() answers %s exactly as verify() on Node', async (_label, call) => {
    const response = await fetch(`${server.url}/verify`, { method: 'POST', body: JSON.stringify(call) });
    expect(await response.json()).toEqual(outcomeOnNode(call));
  });

  it.each(['standardwebhooks', 'svix'] as const)(
    'the fetch handler accepts an event signed by the %s library and refuses it signed with another secret',
    async (library) => {
      const body = JSON.stringify(buildEvent('message'));
      for (const [secret, status] of [
        [SECRET, 200],
        [OTHER_SECRET, 401],
      ] as const) {
        const headers = { ...signedBy(library, secret, body), 'content-type': 'application/json' };
        const response = await fetch(`${server.url}/webhooks/caleida`, { method: 'POST', headers, body });
        expect(response.status).toBe(status);
      }
      expect(events.at(-1)).toMatchObject({ type: 'message' });
    },
  );
});
