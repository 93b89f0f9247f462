import { startMockServer } from '@caleida/mock-server';
import { generateSecret } from '@caleida/verify';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildBin } from './helpers/build-bin.js';
import { runBin } from './helpers/run-bin.js';
import { startCoreReceiver, type TestReceiver } from './helpers/start-receivers.js';

const secret = generateSecret();
let receiver: TestReceiver | undefined;

beforeAll(buildBin, 120_000);
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  await vi.waitFor(
    () => {
      if (!condition()) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: 10_000, interval: 25 },
  );
}

describe('caleida-sim send <type> --set path=value', () => {
  it('changes nested fields of the generated event, JSON values typed and other values as text', async () => {
    receiver = await startCoreReceiver(secret);
    const result = await runBin([
      'send',
      'message',
      '--url',
      receiver.url,
      '--secret',
      secret,
      '--set',
      'data.role=agent',
      '--set',
      'data.author.name=Ana Souza',
      '--set',
      'data.content="42"',
      '--set',
      'timestamp=2026-11-28T09:00:00.000Z',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const event = receiver.events[0];
    expect(event?.type).toBe('message');
    expect(event?.timestamp).toBe('2026-11-28T09:00:00.000Z');
    expect(event?.data).toMatchObject({ role: 'agent', author: { name: 'Ana Souza' }, content: '42' });
    // The rest is the realistic fixture, untouched.
    expect(event?.data).toMatchObject({ id: expect.stringMatching(/^msg_/), chat_id: expect.any(String) });
  }, 30_000);

  it('indexes arrays (data.topics.0.confidence) and parses numbers', async () => {
    receiver = await startCoreReceiver(secret);
    const result = await runBin([
      'send',
      'insight.topic',
      '--url',
      receiver.url,
      '--secret',
      secret,
      '--set',
      'data.topics.0.name=billing',
      '--set',
      'data.topics.0.confidence=0.25',
    ]);
    expect(result.code).toBe(0);
    const data = receiver.events[0]?.data as { topics: { name: string; confidence: number }[] };
    expect(data.topics[0]).toEqual({ name: 'billing', confidence: 0.25 });
  }, 30_000);

  it('refuses a value the schema refuses: exit 2, the path and the allowed values, nothing sent', async () => {
    receiver = await startCoreReceiver(secret);
    const [result, wrongType] = await Promise.all([
      runBin(['send', 'message', '--url', receiver.url, '--secret', secret, '--set', 'data.role=boss']),
      runBin([
        'send',
        'insight.sentiment',
        '--url',
        receiver.url,
        '--secret',
        secret,
        '--set',
        'data.score=2',
      ]),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^caleida-sim: --set data\.role=boss makes an invalid message event: data\.role: .*"agent"/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(wrongType.code).toBe(2);
    expect(wrongType.stderr).toContain('data.score');
    expect(receiver.events).toHaveLength(0);
  }, 30_000);

  it('refuses paths outside data. and timestamp, and malformed --set values, with exit 2', async () => {
    const cases = [
      ['type=chat', /only data\.… or timestamp paths can be set/],
      ['id=evt_1', /only data\.… or timestamp paths can be set/],
      ['data=1', /only data\.… or timestamp paths can be set/],
      ['data.role', /needs the form path=value/],
      ['data.content.length=3', /data\.content is a string/],
      ['data.__proto__.polluted=1', /"__proto__" is not a valid path segment/],
    ] as const;
    const results = await Promise.all(
      cases.map(([set]) =>
        runBin(['send', 'message', '--url', 'http://127.0.0.1:9/', '--secret', secret, '--set', set]),
      ),
    );
    cases.forEach(([set, message], index) => {
      expect(results[index]?.code, set).toBe(2);
      expect(results[index]?.stderr, set).toMatch(message);
    });
  }, 30_000);
});

describe('caleida-sim fixtures <type> --set', () => {
  it('prints the fixture with the fields changed', async () => {
    const result = await runBin([
      'fixtures',
      'chat',
      '--set',
      'data.customer.email=ana@example.com',
      '--set',
      'data.metadata={"plan":"pro"}',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      customer: { email: 'ana@example.com' },
      metadata: { plan: 'pro' },
    });
  }, 30_000);
});

describe('caleida-sim trigger <type> --set', () => {
  it('merges the fields into the generated data, checks them, and the mock server delivers them', async () => {
    receiver = await startCoreReceiver(secret);
    const server = await startMockServer({ port: 0, db: ':memory:' });
    try {
      const created = await fetch(`${server.url}/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url, name: 'sim', secret, events: ['message'] }),
      });
      expect(created.status).toBe(201);
      const base = ['trigger', 'message', '--server', server.url, '--api-key', server.apiKey];
      const result = await runBin([
        ...base,
        '--set',
        'data.content=Can I get a refund?',
        '--set',
        'data.role=customer',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      await waitFor(() => receiver?.events.length === 1, 'the delivery');
      expect(receiver.events[0]?.data).toMatchObject({ content: 'Can I get a refund?', role: 'customer' });

      const [invalid, timestamp] = await Promise.all([
        runBin([...base, '--set', 'data.role=boss']),
        runBin([...base, '--set', 'timestamp=2026-11-28T09:00:00Z']),
      ]);
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toMatch(/--set data\.role=boss makes an invalid message event: data\.role/);
      expect(timestamp.code).toBe(2);
      expect(timestamp.stderr).toMatch(/the mock server stamps the event's timestamp itself/);
    } finally {
      await server.close();
    }
  }, 30_000);
});
