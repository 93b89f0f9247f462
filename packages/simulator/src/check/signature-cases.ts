import { createHmac } from 'node:crypto';
import { decodeSecret, generateSecret, statusForCode } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import { fresh, now, without } from './case-requests.js';
import type { CheckCase } from './check-case.js';

/** 10 minutes: well outside the 5-minute window every receiver should use. */
const SKEW_SECONDS = 600;

/** The required attacks: each must be refused (any 4xx), or anyone could send the endpoint events. */
export const signatureCases: readonly CheckCase[] = [
  {
    name: 'wrong secret',
    required: true,
    expect: 'reject',
    recommended: statusForCode.no_matching_signature,
    build: () => fresh(generateSecret()),
    risk: 'anyone can send your endpoint events: the signature is not checked against your secret',
    fix: 'verify webhook-signature (HMAC-SHA256 of id.timestamp.body with your secret) before doing anything else',
  },
  {
    name: 'one byte changed',
    required: true,
    expect: 'reject',
    recommended: statusForCode.no_matching_signature,
    build: ({ secret }) => {
      const request = fresh(secret);
      const at = request.body.indexOf('"content":"') + '"content":"'.length;
      const char = request.body[at] ?? 'a';
      const swapped = char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase();
      return {
        ...request,
        body: request.body.slice(0, at) + (swapped === char ? 'X' : swapped) + request.body.slice(at + 1),
      };
    },
    risk: 'a body altered after signing is accepted: the signature is not computed over the exact bytes received',
    fix: 'compute the signature over the raw body bytes as received, never over re-serialised JSON',
  },
  {
    name: 'missing webhook-id',
    required: true,
    expect: 'reject',
    recommended: statusForCode.missing_header,
    build: ({ secret }) => without(fresh(secret), 'webhook-id'),
    risk: 'a request without webhook-id is accepted, so it was not verified (the id is part of what is signed)',
    fix: 'reject a request that lacks webhook-id, webhook-timestamp or webhook-signature with 400',
  },
  {
    name: 'missing webhook-timestamp',
    required: true,
    expect: 'reject',
    recommended: statusForCode.missing_header,
    build: ({ secret }) => without(fresh(secret), 'webhook-timestamp'),
    risk: 'a request without webhook-timestamp is accepted, so old requests can be replayed at will',
    fix: 'reject a request that lacks webhook-timestamp with 400',
  },
  {
    name: 'missing webhook-signature',
    required: true,
    expect: 'reject',
    recommended: statusForCode.missing_header,
    build: ({ secret }) => without(fresh(secret), 'webhook-signature'),
    risk: 'an unsigned request is accepted: anyone can send your endpoint events',
    fix: 'reject a request that lacks webhook-signature with 400',
  },
  {
    name: 'malformed signature header',
    required: true,
    expect: 'reject',
    recommended: statusForCode.malformed_signature,
    build: ({ secret }) => {
      const request = fresh(secret);
      return { ...request, headers: { ...request.headers, 'webhook-signature': 'not-a-signature' } };
    },
    risk: 'a request whose signature header is garbage is accepted: the signature is not really checked',
    fix: 'parse webhook-signature as space-separated "v1,<base64>" entries and reject anything else',
  },
  {
    name: 'unknown scheme only',
    required: true,
    expect: 'reject',
    recommended: statusForCode.no_matching_signature,
    build: ({ secret }) => {
      const request = fresh(secret);
      // The right HMAC under a scheme other than v1: only a receiver that ignores the prefix accepts it.
      const signature = request.headers['webhook-signature']?.replace(/^v1,/, 'v1a,') ?? '';
      return { ...request, headers: { ...request.headers, 'webhook-signature': signature } };
    },
    risk: 'a signature labelled with a scheme other than v1 is accepted: the scheme prefix is ignored',
    fix: 'compare only entries that start with "v1,"; skip every other scheme',
  },
  {
    name: 'stale timestamp (10 min old)',
    required: true,
    expect: 'reject',
    recommended: statusForCode.timestamp_too_old,
    build: ({ secret }) => fresh(secret, buildEvent('message'), now() - SKEW_SECONDS),
    risk: 'a correctly signed request from 10 minutes ago is accepted, so captured requests can be replayed later',
    fix: 'reject a webhook-timestamp more than 5 minutes (300 s) from your clock with 401',
  },
  {
    name: 'future timestamp (10 min ahead)',
    required: true,
    expect: 'reject',
    recommended: statusForCode.timestamp_too_new,
    build: ({ secret }) => fresh(secret, buildEvent('message'), now() + SKEW_SECONDS),
    risk: 'a request dated 10 minutes ahead is accepted, so a pre-signed request stays valid too long',
    fix: 'reject a webhook-timestamp more than 5 minutes ahead of your clock with 401',
  },
  {
    name: 'non-numeric timestamp',
    required: true,
    expect: 'reject',
    recommended: statusForCode.invalid_timestamp,
    build: ({ secret }) => {
      const request = fresh(secret);
      const id = request.headers['webhook-id'] ?? '';
      // Signed over the text itself, so only a timestamp check can catch it (NaN passes naive comparisons).
      const signature = createHmac('sha256', decodeSecret(secret))
        .update(`${id}.soon.${request.body}`)
        .digest('base64');
      return {
        ...request,
        headers: { ...request.headers, 'webhook-timestamp': 'soon', 'webhook-signature': `v1,${signature}` },
      };
    },
    risk: 'a non-numeric webhook-timestamp is accepted, which disables the replay window entirely',
    fix: 'require webhook-timestamp to be whole Unix seconds (digits only) and reject it with 400 otherwise',
  },
];
