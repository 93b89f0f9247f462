import { generateSecret } from '@caleida/verify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBin } from './helpers/build-bin.js';
import { type RunningBin, runBin, startListenBin } from './helpers/run-bin.js';
import { startCoreReceiver, type TestReceiver } from './helpers/start-receivers.js';

const secret = generateSecret();
const receivers: TestReceiver[] = [];
const listeners: RunningBin[] = [];

beforeAll(buildBin, 120_000);
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.stop()));
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

async function receiver(): Promise<TestReceiver> {
  const started = await startCoreReceiver(secret);
  receivers.push(started);
  return started;
}

async function listen(args: string[]): Promise<RunningBin> {
  const started = await startListenBin(args);
  listeners.push(started);
  return started;
}

describe('caleida-sim listen --events and --forward TYPE=URL', () => {
  it('routes each type to its own service and acknowledges, without showing, the types not listed', async () => {
    const messages = await receiver();
    const insights = await receiver();
    const listener = await listen([
      '--secret',
      secret,
      '--events',
      'message,insight.*',
      '--forward',
      `message=${messages.url}`,
      '--forward',
      `insight.*=${insights.url}`,
    ]);
    // One conversation: a chat, its messages, then its five insights.
    const sent = await runBin(['scenario', '--url', listener.url, '--secret', secret, '--json']);
    // Every one acknowledged with a 2xx, the chat too, so Caleida would not retry it.
    expect(sent.code).toBe(0);
    const deliveries = jsonLines(sent.stdout).filter((line) => !line.summary);
    const idsOf = (match: (type: string) => boolean) =>
      deliveries.filter((line) => match(line.type)).map((line) => line.id);
    const chatIds = idsOf((type) => type === 'chat');
    expect(chatIds).toHaveLength(1);
    expect(deliveries.every((line) => line.status === 200)).toBe(true);

    expect(messages.events.map((event) => event.id)).toEqual(idsOf((type) => type === 'message'));
    expect(insights.events.map((event) => event.id)).toEqual(idsOf((type) => type.startsWith('insight.')));
    expect(insights.events).toHaveLength(5);

    const output = jsonLines((await listener.stop()).stdout);
    const shown = output.filter((line) => line.type);
    expect(shown.map((line) => line.id)).toEqual(
      deliveries.filter((line) => line.type !== 'chat').map((line) => line.id),
    );
    expect(shown.find((line) => line.type === 'message')).toMatchObject({
      verified: true,
      forwardedTo: messages.url,
    });
    expect(output.some((line) => line.id === chatIds[0])).toBe(false);
    expect(output.at(-1)).toMatchObject({ summary: true, received: deliveries.length, ignored: 1 });
  }, 30_000);

  it('--forward-to still takes every event, and after --forward routes it takes the rest', async () => {
    const messages = await receiver();
    const rest = await receiver();
    const listener = await listen(['--forward', `message=${messages.url}`, '--forward-to', rest.url]);
    const sent = await Promise.all(
      ['message', 'chat'].map((type) => runBin(['send', type, '--url', listener.url, '--secret', secret])),
    );
    expect(sent.map((result) => result.code)).toEqual([0, 0]);
    expect(messages.events.map((event) => event.type)).toEqual(['message']);
    expect(rest.events.map((event) => event.type)).toEqual(['chat']);
  }, 30_000);

  it('refuses an --events type that matches nothing and a --forward without TYPE=URL, with exit 2', async () => {
    const [typo, noRoute, badUrl] = await Promise.all([
      runBin(['listen', '--port', '0', '--events', 'mesage']),
      runBin(['listen', '--port', '0', '--forward', 'http://localhost:3001/hook']),
      runBin(['listen', '--port', '0', '--forward', 'message=localhost:3001']),
    ]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--events "mesage" matches no event type; the types are chat, message/);
    expect(noRoute.code).toBe(2);
    expect(noRoute.stderr).toMatch(/--forward "http:\/\/localhost:3001\/hook" needs the form TYPE=URL/);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/is not a URL|use an http/);
  }, 30_000);

  it("--help says unmatched events are acknowledged, and the default port is not the mock server's 4000", async () => {
    const help = await runBin(['listen', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/acknowledged with a 2xx/);
    expect(help.stdout).toMatch(/\[default: 4400\]/);
    expect(help.stdout).not.toMatch(/\[default: 4000\]/);
  });
});
