import { gzipSync } from 'node:zlib';
import { EVENT_TYPES, type EventType } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { expect } from 'vitest';
import type { HttpRequest } from './send.js';
import { PARSED_PATH, PLAIN_PATH, RAW_PATH, type Target } from './targets.js';

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const WRONG_SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ==';
/** The receivers' body limit in this suite: small, so an oversized body stays cheap to send. */
export const MAX_BODY_BYTES = 32 * 1024;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Options of the one correctly signed request each case starts from. */
interface ValidOptions {
  type?: EventType;
  event?: object | string;
  secret?: string;
  id?: string;
  timestamp?: number;
  path?: string;
}

/** A correctly signed POST of a schema-valid event; each case breaks exactly one thing in it. */
export function validRequest({
  type = 'message',
  event = buildEvent(type),
  secret = SECRET,
  id,
  timestamp,
  path = PLAIN_PATH,
}: ValidOptions = {}): HttpRequest & { id: string; headers: Record<string, string> } {
  const signed = signedRequest({
    secret,
    event,
    ...(id === undefined ? {} : { id }),
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  return { id: signed.id, method: 'POST', path, headers: { ...signed.headers }, body: signed.body };
}

const without = (headers: Record<string, string>, name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));

/** What a case expects: the status, the JSON `code` (undefined: none), and how often the route ran. */
export interface Expected {
  status: number;
  code: string | undefined;
  routeRuns: 0 | 1;
  /** Extra checks on the JSON body. */
  body?: Record<string, unknown>;
}

/** One request and the answer every target must give. */
export interface RequestCase {
  name: string;
  request: () => HttpRequest;
  expected: Expected | ((target: Target) => Expected);
  /** Only for targets with that feature. */
  when?: (target: Target) => boolean;
}

const accepted: Expected = { status: 200, code: undefined, routeRuns: 1, body: { received: true } };
const refused = (status: number, code: string, body?: Record<string, unknown>): Expected => ({
  status,
  code,
  routeRuns: 0,
  ...(body ? { body } : {}),
});

/** The table every target runs. */
export const requestCases: RequestCase[] = [
  ...EVENT_TYPES.map(
    (type): RequestCase => ({
      name: `a valid ${type} event is accepted and reaches the route`,
      request: () => validRequest({ type }),
      expected: accepted,
    }),
  ),
  {
    name: 'a request signed with another secret gets 401 no_matching_signature',
    request: () => validRequest({ secret: WRONG_SECRET }),
    expected: refused(401, 'no_matching_signature'),
  },
  {
    name: 'a body with one byte changed gets 401 no_matching_signature',
    request: () => {
      const request = validRequest();
      const body = Buffer.from(request.body as string);
      const at = body.indexOf('"type"') + 1;
      body[at] = (body[at] as number) ^ 0x20;
      return { ...request, body };
    },
    expected: refused(401, 'no_matching_signature'),
  },
  ...(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const).map(
    (header): RequestCase => ({
      name: `a request without ${header} gets 400 missing_header`,
      request: () => {
        const request = validRequest();
        return { ...request, headers: without(request.headers, header) };
      },
      expected: refused(400, 'missing_header'),
    }),
  ),
  {
    name: 'a timestamp 301 s in the past gets 401 timestamp_too_old',
    request: () => validRequest({ timestamp: nowSeconds() - 301 }),
    expected: refused(401, 'timestamp_too_old'),
  },
  {
    // 305, not 301: a request signed now reaches a busy receiver a second or more later, which
    // brings a future timestamp closer to its clock (the exact edge is tested in verify() with a fixed now).
    name: 'a timestamp 305 s in the future gets 401 timestamp_too_new',
    request: () => validRequest({ timestamp: nowSeconds() + 305 }),
    expected: refused(401, 'timestamp_too_new'),
  },
  {
    name: 'a signature with only the unknown v2 scheme gets 401 no_matching_signature',
    request: () => {
      const request = validRequest();
      const signature = request.headers['webhook-signature'] as string;
      return {
        ...request,
        headers: { ...request.headers, 'webhook-signature': signature.replace('v1,', 'v2,') },
      };
    },
    expected: refused(401, 'no_matching_signature'),
  },
  {
    name: 'a valid signature among several invalid ones is accepted',
    request: () => {
      const request = validRequest();
      const valid = request.headers['webhook-signature'] as string;
      const invalid = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
      const signature = `${invalid} v2,${valid.slice(3)} ${valid} v1,${Buffer.alloc(32, 9).toString('base64')}`;
      return { ...request, headers: { ...request.headers, 'webhook-signature': signature } };
    },
    expected: accepted,
  },
  {
    name: 'the signature of another event id gets 401 no_matching_signature',
    request: () => {
      const request = validRequest();
      const other = validRequest({ event: request.body as string });
      return {
        ...request,
        headers: { ...request.headers, 'webhook-signature': other.headers['webhook-signature'] as string },
      };
    },
    expected: refused(401, 'no_matching_signature'),
  },
  {
    name: 'GET gets 405 method_not_allowed with Allow: POST',
    request: () => {
      const { headers } = validRequest();
      return { method: 'GET', path: PLAIN_PATH, headers: without(headers, 'content-type') };
    },
    expected: refused(405, 'method_not_allowed'),
  },
  ...(['PROPFIND', 'SEARCH', 'TRACE', 'PUT', 'DELETE'] as const).map(
    (method): RequestCase => ({
      name: `${method} gets 405 method_not_allowed with Allow: POST`,
      request: () => {
        const { headers } = validRequest();
        return { method, path: PLAIN_PATH, headers: without(headers, 'content-type') };
      },
      expected: refused(405, 'method_not_allowed'),
      // No fetch Request can carry TRACE, so a fetch handler never sees one (the runtimes' fetch
      // targets are named after createFetchHandler).
      ...(method === 'TRACE'
        ? { when: (target: Target) => !target.fetchApi && !target.name.startsWith('createFetchHandler') }
        : {}),
    }),
  ),
  {
    name: 'a gzip body gets 415 unsupported_content_encoding, saying Caleida never compresses',
    request: () => {
      const request = validRequest();
      return {
        ...request,
        headers: { ...request.headers, 'content-encoding': 'gzip' },
        body: gzipSync(request.body as string),
      };
    },
    expected: refused(415, 'unsupported_content_encoding', {
      message: expect.stringMatching(/never compresses.*uncompressed/),
    }),
  },
  {
    name: 'a brotli body gets 415 unsupported_content_encoding',
    request: () => {
      const request = validRequest();
      return { ...request, headers: { ...request.headers, 'content-encoding': 'br' } };
    },
    expected: refused(415, 'unsupported_content_encoding'),
  },
  {
    name: 'content-encoding: identity is accepted',
    request: () => {
      const request = validRequest();
      return { ...request, headers: { ...request.headers, 'content-encoding': 'identity' } };
    },
    expected: accepted,
  },
  ...(['webhook-id', 'webhook-timestamp', 'content-type'] as const).map(
    (header): RequestCase => ({
      name: `${header} sent twice gets 400 ambiguous_header`,
      request: () => {
        const request = validRequest();
        const value = request.headers[header] as string;
        return { ...request, headers: { ...request.headers, [header]: [value, value] } };
      },
      expected: refused(400, 'ambiguous_header'),
    }),
  ),
  {
    name: 'webhook-signature sent twice, one copy valid, is accepted',
    request: () => {
      const request = validRequest();
      const valid = request.headers['webhook-signature'] as string;
      const invalid = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
      return { ...request, headers: { ...request.headers, 'webhook-signature': [invalid, valid] } };
    },
    expected: accepted,
  },
  {
    name: 'a text/plain body gets 415 unsupported_media_type',
    request: () => {
      const request = validRequest();
      return { ...request, headers: { ...request.headers, 'content-type': 'text/plain' } };
    },
    expected: refused(415, 'unsupported_media_type'),
  },
  {
    name: 'a form body gets 415 unsupported_media_type',
    request: () => {
      const request = validRequest({ event: 'type=message&data=hello' });
      return {
        ...request,
        headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded' },
      };
    },
    expected: refused(415, 'unsupported_media_type'),
  },
  {
    name: 'a body over the limit, declared in content-length, gets 413 body_too_large',
    request: () => validRequest({ event: oversizedMessage() }),
    expected: refused(413, 'body_too_large'),
  },
  {
    name: 'a chunked body over the limit gets 413 body_too_large',
    request: () => ({ ...validRequest({ event: oversizedMessage() }), chunked: true }),
    expected: refused(413, 'body_too_large'),
  },
  {
    name: 'invalid JSON with a valid signature gets 400 invalid_json',
    request: () => validRequest({ event: '{"type":"message",' }),
    expected: refused(400, 'invalid_json'),
  },
  {
    name: 'invalid JSON with a wrong signature gets 401 no_matching_signature',
    request: () => validRequest({ event: '{"type":"message",', secret: WRONG_SECRET }),
    expected: refused(401, 'no_matching_signature'),
  },
  {
    name: 'unsigned garbage gets 400 missing_header',
    request: () => ({
      method: 'POST',
      path: PLAIN_PATH,
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    }),
    expected: refused(400, 'missing_header'),
  },
  {
    name: 'a schema-invalid payload with a valid signature gets 400 invalid_payload with issues',
    request: () => validRequest({ event: buildEvent('insight.sentiment', { data: { score: 7 } }) }),
    expected: refused(400, 'invalid_payload', {
      issues: [expect.objectContaining({ path: ['data', 'score'] })],
    }),
  },
  {
    name: 'an unknown event type is acknowledged with 2xx and reaches the route as unknown',
    request: () =>
      validRequest({
        event: { type: 'insight.forecast', timestamp: new Date().toISOString(), data: { x: 1 } },
      }),
    expected: accepted,
  },
  {
    name: 'a body already parsed by a body parser gets 500 body_already_parsed naming the fix',
    request: () => validRequest({ path: PARSED_PATH }),
    expected: refused(500, 'body_already_parsed'),
  },
  {
    name: 'a body held raw by a parser in front (express.raw(), @koa/bodyparser rawBody) is accepted',
    request: () => validRequest({ path: RAW_PATH }),
    expected: accepted,
    when: (target) => target.hasRawPath,
  },
];

/** A signed `message` just over MAX_BODY_BYTES. */
function oversizedMessage(): object {
  const event = buildEvent('message');
  return { ...event, data: { ...event.data, content: 'x'.repeat(MAX_BODY_BYTES) } };
}
