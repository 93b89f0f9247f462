import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, webhookInput } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  // allowHttp: the refusals below must come from the address rules, not from the http rule.
  server = await startTestServer({ allowHttp: true });
});
afterAll(async () => {
  await server.stop();
});

const refused = [
  ['the AWS/GCP/Azure metadata address', 'https://169.254.169.254/latest/meta-data/', /metadata/],
  ['a link-local address', 'http://169.254.10.20/hook', /link-local/],
  ['the metadata address as one number', 'http://2852039166/latest/meta-data/', /metadata/],
  ['the metadata address in hex', 'http://0xa9.0xfe.0xa9.0xfe/', /metadata/],
  ['an IPv6 link-local address', 'http://[fe80::1]/hook', /link-local/],
  ['the AWS IPv6 metadata address', 'http://[fd00:ec2::254]/', /metadata/],
  ['the Alibaba metadata address', 'http://100.100.100.200/latest/meta-data/', /metadata/],
  ['metadata.google.internal', 'http://metadata.google.internal/computeMetadata/v1/', /metadata/],
  ['metadata.google.internal with a trailing dot', 'http://METADATA.google.internal./', /metadata/],
  ['the IPv4-mapped IPv6 form of the metadata address', 'http://[::ffff:169.254.169.254]/', /metadata/],
  ['the IPv4-mapped IPv6 form in hex', 'http://[::ffff:a9fe:a9fe]/', /metadata/],
  ['the NAT64 form of the metadata address', 'http://[64:ff9b::a9fe:a9fe]/', /metadata/],
  ['the 6to4 form of the metadata address', 'http://[2002:a9fe:a9fe::1]/', /metadata/],
  ['the unspecified address 0.0.0.0', 'http://0.0.0.0:3000/hook', /unspecified/],
  ['the unspecified address written 0', 'http://0:3000/hook', /unspecified/],
  ['the unspecified IPv6 address', 'http://[::]:3000/hook', /unspecified/],
  ['the IPv4-mapped unspecified address', 'http://[::ffff:0.0.0.0]:3000/hook', /unspecified/],
  ['a multicast address', 'http://224.0.0.1/hook', /multicast/],
  ['a user and password', 'https://user:pass@hooks.example.com/hook', /user name or password/],
  ['a user name alone', 'https://user@hooks.example.com/hook', /user name or password/],
  ['a private 10/8 address', 'http://10.0.0.5/hook', /private-network.*--allow-private-network/],
  ['a private 172.16/12 address', 'http://172.20.1.1/hook', /private-network/],
  ['a private 192.168/16 address', 'http://192.168.1.10/hook', /private-network/],
  ['a CGNAT 100.64/10 address', 'http://100.64.0.1/hook', /private-network/],
  ['a unique-local IPv6 address', 'http://[fd12:3456::1]/hook', /private-network/],
  ['the IPv4-mapped form of a private address', 'http://[::ffff:10.0.0.5]/hook', /private-network/],
  ['a URL of 2,049 characters', `https://hooks.example.com/${'a'.repeat(2023)}`, /at most 2048/],
] as const;

describe('POST /v1/webhooks refuses unsafe URLs', () => {
  it.each(refused)('refuses %s with 400 validation_failed on url', async (_label, url, reason) => {
    const response = await server.api('POST', '/v1/webhooks', webhookInput(url));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
    expect(response.body.details).toEqual([{ field: 'url', message: expect.stringMatching(reason) }]);
  });

  it('says how to fix it: a public or loopback address for metadata, the option for private ones', async () => {
    const metadata = await server.api('POST', '/v1/webhooks', webhookInput('http://169.254.169.254/'));
    expect(metadata.body.details[0].message).toMatch(/never allowed.*localhost \/ 127\.0\.0\.1/);
    const lan = await server.api('POST', '/v1/webhooks', webhookInput('http://192.168.0.2/'));
    expect(lan.body.details[0].message).toMatch(/--allow-private-network \(allowPrivateNetwork: true\)/);
  });

  it('keeps no credentials anywhere: the refused URL is not stored', async () => {
    await server.api('POST', '/v1/webhooks', webhookInput('https://user:hunter2@hooks.example.com/'));
    const list = await server.api('GET', '/v1/webhooks');
    expect(JSON.stringify(list.body)).not.toContain('hunter2');
  });
});

describe('PATCH /v1/webhooks/:id refuses the same URLs', () => {
  it.each(refused)('refuses %s and keeps the old URL', async (_label, url, reason) => {
    const { body: created } = await server.api(
      'POST',
      '/v1/webhooks',
      webhookInput('https://hooks.example.com/a'),
    );
    const response = await server.api('PATCH', `/v1/webhooks/${created.id}`, { url });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'url', message: expect.stringMatching(reason) }]);
    expect((await server.api('GET', `/v1/webhooks/${created.id}`)).body.url).toBe(
      'https://hooks.example.com/a',
    );
  });
});

describe('loopback stays allowed, stored as the URL parser reads it', () => {
  it.each([
    ['http://127.1:3000/hook', 'http://127.0.0.1:3000/hook'],
    ['http://0x7f000001:3000/hook', 'http://127.0.0.1:3000/hook'],
    ['http://2130706433:3000/hook', 'http://127.0.0.1:3000/hook'],
    ['http://0177.0.0.1:3000/hook', 'http://127.0.0.1:3000/hook'],
    ['http://127.9.9.9:3000/hook', 'http://127.9.9.9:3000/hook'],
    ['http://LOCALHOST:3000/hook', 'http://localhost:3000/hook'],
    ['http://[::1]:3000/hook', 'http://[::1]:3000/hook'],
    ['http://[::ffff:127.0.0.1]:3000/hook', 'http://[::ffff:7f00:1]:3000/hook'],
    ['https://Hooks.Example.com:443/caleida', 'https://hooks.example.com/caleida'],
  ])('accepts %s and stores and shows %s', async (url, normalised) => {
    const created = await server.api('POST', '/v1/webhooks', webhookInput(url));
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(normalised);
    expect((await server.api('GET', `/v1/webhooks/${created.body.id}`)).body.url).toBe(normalised);
    const patched = await server.api('PATCH', `/v1/webhooks/${created.body.id}`, { url });
    expect(patched.body.url).toBe(normalised);
  });

  it('accepts http on a loopback IP spelled in hex without --allow-http', async () => {
    const strict = await startTestServer();
    try {
      const created = await strict.api('POST', '/v1/webhooks', webhookInput('http://0x7f.1:8080/hook'));
      expect(created).toMatchObject({ status: 201, body: { url: 'http://127.0.0.1:8080/hook' } });
    } finally {
      await strict.stop();
    }
  });
});

describe('allowPrivateNetwork', () => {
  it('accepts private-network URLs, still refuses link-local and metadata ones', async () => {
    const open = await startTestServer({ allowHttp: true, allowPrivateNetwork: true });
    try {
      for (const url of [
        'http://10.0.0.5/hook',
        'http://172.20.1.1/hook',
        'http://192.168.1.10/hook',
        'http://100.64.0.1/hook',
        'http://[fd12:3456::1]/hook',
      ]) {
        expect((await open.api('POST', '/v1/webhooks', webhookInput(url))).status).toBe(201);
      }
      for (const url of [
        'http://169.254.169.254/',
        'http://[fd00:ec2::254]/',
        'http://100.100.100.200/',
        'http://[fe80::1]/',
        'http://0.0.0.0/',
      ]) {
        expect((await open.api('POST', '/v1/webhooks', webhookInput(url))).status).toBe(400);
      }
    } finally {
      await open.stop();
    }
  });
});
