import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockServer } from '@caleida/mock-server';
import { dataSchemas, EVENT_TYPES, generateSecret, verify } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildBin } from './helpers/build-bin.js';
import { runBin } from './helpers/run-bin.js';
import { startCoreReceiver, type TestReceiver } from './helpers/start-receivers.js';

const secret = generateSecret();
const dir = mkdtempSync(join(tmpdir(), 'caleida-sim-commands-'));
let receiver: TestReceiver | undefined;

beforeAll(buildBin, 120_000);
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('caleida-sim send <type>', () => {
  it('delivers one signed event and prints status, type, id and latency', async () => {
    receiver = await startCoreReceiver(secret);
    const result = await runBin(['send', 'message', '--url', receiver.url, '--secret', secret]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^200 +message +evt_\w{24} +\d+\.\d ms$/m);
    expect(result.stdout).toContain('✓ Sent 1: 1 × 200');
    expect(receiver.events).toHaveLength(1);
    expect(receiver.events[0]?.type).toBe('message');
    expect(result.stdout).not.toContain(secret);
  });

  it('--count 3 sends three events with their own ids; --id reuses one, and the copy is not run again', async () => {
    receiver = await startCoreReceiver(secret);
    const three = await runBin(['send', 'chat', '--url', receiver.url, '--count', '3', '--json'], {
      CALEIDA_WEBHOOK_SECRET: secret,
    });
    expect(three.code).toBe(0);
    const lines = jsonLines(three.stdout);
    expect(new Set(lines.slice(0, 3).map((line) => line.id)).size).toBe(3);
    expect(lines[3]).toMatchObject({ summary: true, sent: 3, succeeded: 3, failed: 0, statuses: { 200: 3 } });

    const twice = await runBin([
      'send',
      'chat',
      '--url',
      receiver.url,
      '--secret',
      secret,
      '--count',
      '2',
      '--id',
      'evt_fixed',
    ]);
    expect(twice.code).toBe(0);
    expect(receiver.events.map((event) => event.id)).toEqual([
      ...lines.slice(0, 3).map((line) => line.id),
      'evt_fixed',
    ]);
  });

  it('--data file.json and --data - send the given data', async () => {
    receiver = await startCoreReceiver(secret);
    const data = { ...buildEvent('insight.sentiment').data, sentiment: 'negative', score: -0.8 };
    const file = join(dir, 'sentiment.json');
    writeFileSync(file, JSON.stringify(data, null, 2));
    expect(
      (await runBin(['send', 'insight.sentiment', '--url', receiver.url, '--secret', secret, '--data', file]))
        .code,
    ).toBe(0);
    const piped = await runBin(
      ['send', 'insight.sentiment', '--url', receiver.url, '--secret', secret, '--data', '-'],
      {},
      JSON.stringify(data),
    );
    expect(piped.code).toBe(0);
    expect(receiver.events.map((event) => event.data)).toEqual([data, data]);
  });

  it('exits 1 and shows the answer when the endpoint refuses (here: another secret)', async () => {
    receiver = await startCoreReceiver(generateSecret());
    const result = await runBin(['send', 'chat', '--url', receiver.url, '--secret', secret]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^401 +chat +evt_/m);
    expect(result.stdout).toContain('no_matching_signature');
    expect(result.stdout).toContain('✗ Sent 1: 1 × 401');
  });

  it('--header adds headers, signs with the three webhook headers and sends JSON.stringify of the envelope', async () => {
    const seen: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ headers: request.headers, body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const result = await runBin([
      'send',
      'chat',
      '--url',
      url,
      '--secret',
      secret,
      '-H',
      'x-tenant: acme',
      '--header',
      'x-run:7',
    ]);
    server.close();
    expect(result.code).toBe(0);
    const [request] = seen;
    expect(request?.headers).toMatchObject({
      'x-tenant': 'acme',
      'x-run': '7',
      'content-type': 'application/json',
    });
    const { id } = verify({ secret, payload: request?.body ?? '', headers: request?.headers ?? {} });
    expect(id).toMatch(/^evt_/);
    expect(Object.keys(JSON.parse(request?.body ?? '{}'))).toEqual(['type', 'timestamp', 'data']);
  });
});

describe('caleida-sim scenario', () => {
  it('sends each conversation in causal order with consistent ids; the same seed gives the same events', async () => {
    receiver = await startCoreReceiver(secret);
    const scenario = [
      'scenario',
      '--url',
      receiver.url,
      '--secret',
      secret,
      '--chats',
      '2',
      '--seed',
      '3',
      '--quiet',
    ];
    const first = await runBin(scenario);
    expect(first.code).toBe(0);
    expect(first.stdout.trim()).toMatch(/^✓ Sent \d+: \d+ × 200$/);
    const events = [...receiver.events];
    const chats = events.filter((event) => event.type === 'chat');
    expect(chats).toHaveLength(2);
    const firstChat = events.slice(0, events.indexOf(chats[1] as never));
    expect(firstChat.map((event) => event.type)).toEqual([
      'chat',
      ...Array(firstChat.length - 6).fill('message'),
      'insight.summary',
      'insight.topic',
      'insight.key',
      'insight.conversation',
      'insight.sentiment',
    ]);
    for (const event of firstChat.slice(1))
      expect((event.data as { chat_id: string }).chat_id).toBe(chats[0]?.data.id);

    await runBin(scenario);
    const again = receiver.events.slice(events.length);
    expect(again.map((event) => (event.data as { id: string }).id)).toEqual(
      events.map((event) => (event.data as { id: string }).id),
    );
  });
});

describe('caleida-sim load', () => {
  it('sends for --duration, each request signed with its own id, then prints the summary', async () => {
    receiver = await startCoreReceiver(secret);
    const result = await runBin([
      'load',
      '--url',
      receiver.url,
      '--secret',
      secret,
      '--duration',
      '1s',
      '--concurrency',
      '4',
      '--mix',
      'message=3,chat=1',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const [summary] = jsonLines(result.stdout);
    expect(summary).toMatchObject({ summary: true, errors: 0, statuses: { 200: summary.sent } });
    expect(summary.sent).toBeGreaterThan(10);
    expect(summary.latencyMs.p50).toBeLessThanOrEqual(summary.latencyMs.max);
    expect(new Set(receiver.events.map((event) => event.id)).size).toBe(summary.sent);
    expect(new Set(receiver.events.map((event) => event.type))).toEqual(new Set(['message', 'chat']));
  });

  it('--rate caps the rate', async () => {
    receiver = await startCoreReceiver(secret);
    const result = await runBin([
      'load',
      '--url',
      receiver.url,
      '--secret',
      secret,
      '--duration',
      '1s',
      '--rate',
      '20/s',
      '--json',
    ]);
    const [summary] = jsonLines(result.stdout);
    expect(summary.sent).toBeGreaterThan(5);
    expect(summary.sent).toBeLessThanOrEqual(21);
  });
});

describe('caleida-sim fixtures <type>', () => {
  it.each(EVENT_TYPES)('fixtures %s prints data that its schema accepts', async (type) => {
    const result = await runBin(['fixtures', type]);
    expect(result.code).toBe(0);
    expect(dataSchemas[type].safeParse(JSON.parse(result.stdout)).success).toBe(true);
  });

  it('--envelope prints the whole body', async () => {
    const result = await runBin(['fixtures', 'chat', '--envelope', '--seed', '1']);
    const { data } = buildEvent('chat', { seed: 1 });
    expect(JSON.parse(result.stdout)).toMatchObject({
      type: 'chat',
      data: { id: data.id, customer: data.customer },
    });
  });
});

describe('caleida-sim trigger <type>', () => {
  it('asks the mock server to emit the event to every subscribed webhook', async () => {
    receiver = await startCoreReceiver(secret);
    const server = await startMockServer({ port: 0, db: ':memory:' });
    try {
      const created = await fetch(`${server.url}/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url, name: 'sim', secret, events: ['message'] }),
      });
      expect(created.status).toBe(201);
      const data = { ...buildEvent('message').data, content: 'Hello from trigger' };
      const file = join(dir, 'message.json');
      writeFileSync(file, JSON.stringify(data));
      const result = await runBin([
        'trigger',
        'message',
        '--server',
        server.url,
        '--api-key',
        server.apiKey,
        '--data',
        file,
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^✓ 202 message \S+ emitted to 1 webhook\(s\)$/m);
      expect(result.stdout).not.toContain(server.apiKey);
      await vi.waitFor(
        () => expect(receiver?.events[0]?.data).toMatchObject({ content: 'Hello from trigger' }),
        { timeout: 10_000, interval: 50 },
      );

      const refused = await runBin([
        'trigger',
        'message',
        '--server',
        server.url,
        '--api-key',
        'wrong-key-0123456789',
      ]);
      expect(refused.code).toBe(1);
    } finally {
      await server.close();
    }
  });
});
