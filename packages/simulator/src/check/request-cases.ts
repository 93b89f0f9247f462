import { statusForCode } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import { fresh } from './case-requests.js';
import type { CheckCase } from './check-case.js';

/** Somewhat over the 1 MiB limit, so a receiver's own limit is what refuses it. */
export const OVERSIZED_BODY_BYTES = 1024 * 1024 + 64 * 1024;

/** The advisory cases: exact status codes and input hygiene, correctly signed but otherwise off. */
export const requestCases: readonly CheckCase[] = [
  {
    name: 'oversized body (1.06 MiB)',
    required: false,
    expect: 'reject',
    recommended: statusForCode.body_too_large,
    build: ({ secret }) => {
      const base = buildEvent('message');
      const padding = 'x'.repeat(OVERSIZED_BODY_BYTES - JSON.stringify(base).length);
      return fresh(secret, { ...base, data: { ...base.data, content: base.data.content + padding } });
    },
    risk: 'bodies over 1 MiB are read whole: a large request can use a lot of memory',
    fix: 'refuse bodies over your limit (1 MiB) with 413, from content-length before reading when you can',
  },
  {
    name: 'invalid JSON (signed)',
    required: false,
    expect: 'reject',
    recommended: statusForCode.invalid_json,
    build: ({ secret }) => fresh(secret, '{"type":"message","data":'),
    risk: 'a body that is not JSON was answered as if it were processed',
    fix: 'answer 400 when the verified body does not parse as JSON',
  },
  {
    name: 'schema-invalid payload (signed)',
    required: false,
    expect: 'reject',
    recommended: statusForCode.invalid_payload,
    build: ({ secret }) => {
      const event = buildEvent('message');
      return fresh(secret, { ...event, data: { ...event.data, chat_id: 42, role: 'robot' } });
    },
    risk: 'a message event with the wrong field types was accepted, so handlers may see data they do not expect',
    fix: 'validate data against the event schema (parseEvent) and answer 400 with the issues',
  },
  {
    name: 'wrong content type',
    required: false,
    expect: 'reject',
    recommended: statusForCode.unsupported_media_type,
    build: ({ secret }) => {
      const request = fresh(secret);
      return { ...request, headers: { ...request.headers, 'content-type': 'text/plain' } };
    },
    risk: 'a text/plain request was accepted; Caleida only sends application/json',
    fix: 'answer 415 to anything but application/json',
  },
  {
    name: 'GET instead of POST',
    required: false,
    expect: 'reject',
    recommended: statusForCode.method_not_allowed,
    build: ({ secret }) => ({ ...fresh(secret), method: 'GET', body: '' }),
    risk: 'a GET was accepted; Caleida only delivers with POST',
    fix: 'answer 405 with "allow: POST" to every other method',
  },
  {
    name: 'unknown event type',
    required: false,
    expect: 'accept',
    recommended: 200,
    build: ({ secret }) => fresh(secret, { ...buildEvent('chat'), type: 'chat.archived' }),
    risk: 'a correctly signed event of a type added later was refused, so Caleida would retry it and count failures',
    fix: 'acknowledge event types you do not handle with 2xx (and ignore them)',
  },
];
