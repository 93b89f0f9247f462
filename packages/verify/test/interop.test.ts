import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { constructEvent, generateSecret, verify } from '../src/index.js';
import { buildEvent, signedRequest } from '../src/testing/index.js';
import { SECRET } from './helpers.js';

describe('interoperability with Standard Webhooks libraries', () => {
  it('the standardwebhooks library verifies what sign() produces', () => {
    const request = signedRequest({ secret: SECRET, event: buildEvent('insight.topic') });
    const payload = new StandardWebhook(SECRET).verify(request.body, request.headers);
    expect(payload).toEqual(JSON.parse(request.body));
  });

  it('verify() accepts what the standardwebhooks library signs', () => {
    const body = JSON.stringify(buildEvent('chat'));
    const now = new Date();
    const signature = new StandardWebhook(SECRET).sign('evt_from_sw', now, body);
    const headers = {
      'webhook-id': 'evt_from_sw',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    expect(constructEvent({ secret: SECRET, payload: body, headers })).toMatchObject({
      id: 'evt_from_sw',
      type: 'chat',
    });
  });

  it('the standardwebhooks library refuses what was signed with another secret', () => {
    const request = signedRequest({ secret: generateSecret(), event: buildEvent('chat') });
    expect(() => new StandardWebhook(SECRET).verify(request.body, request.headers)).toThrow();
  });

  it('the svix library verifies what sign() produces, and verify() accepts what svix signs', () => {
    const request = signedRequest({ secret: SECRET, event: buildEvent('message') });
    // svix 2 returns nothing and throws on a bad signature.
    expect(() => new SvixWebhook(SECRET).verify(request.body, request.headers)).not.toThrow();
    expect(() => new SvixWebhook(SECRET).verify(`${request.body} `, request.headers)).toThrow();
    const now = new Date();
    const signature = new SvixWebhook(SECRET).sign('evt_from_svix', now, request.body);
    const headers = {
      'webhook-id': 'evt_from_svix',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    expect(verify({ secret: SECRET, payload: request.body, headers }).id).toBe('evt_from_svix');
  });

  it('a plain (non-whsec_) secret works with standardwebhooks given its base64 form', () => {
    const plain = 'my-dashboard-secret-typed-by-a-human';
    const request = signedRequest({ secret: plain, event: buildEvent('chat') });
    const base64 = Buffer.from(plain, 'utf8').toString('base64');
    expect(() => new StandardWebhook(base64).verify(request.body, request.headers)).not.toThrow();
  });
});
