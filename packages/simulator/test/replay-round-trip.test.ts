import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret } from '@caleida/verify';
import { buildConversation } from '@caleida/verify/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin } from './helpers/build-bin.js';
import { type RunningBin, runBin, startListenBin } from './helpers/run-bin.js';

const secret = generateSecret();
const dir = mkdtempSync(join(tmpdir(), 'caleida-sim-'));
const running: RunningBin[] = [];

beforeAll(buildBin, 120_000);
afterAll(async () => {
  await Promise.all(running.map((each) => each.stop()));
  rmSync(dir, { recursive: true, force: true });
});

function readJsonLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('listen --record, then replay <file.jsonl>', () => {
  it('a second listener gets the same types, ids and data, with valid fresh signatures', async () => {
    const firstRecord = join(dir, 'first.jsonl');
    const secondRecord = join(dir, 'second.jsonl');
    const first = await startListenBin(['--secret', secret, '--record', firstRecord]);
    running.push(first);
    const scenario = await runBin([
      'scenario',
      '--url',
      first.url,
      '--secret',
      secret,
      '--chats',
      '2',
      '--seed',
      '7',
    ]);
    expect(scenario.code).toBe(0);
    const recorded = readJsonLines(firstRecord);
    const expected = [...buildConversation({ seed: 7 }), ...buildConversation({ seed: 8 })];
    // The same seed gives the same ids and content; times are placed relative to now.
    const withoutTimes = ({ type, data }: { type?: unknown; data?: unknown }) => {
      const { created_at: _, ...rest } = data as Record<string, unknown>;
      return { type, data: rest };
    };
    expect(recorded.map(withoutTimes)).toEqual(expected.map(withoutTimes));
    expect(new Set(recorded.map(({ id }) => id)).size).toBe(expected.length);

    const second = await startListenBin(['--secret', secret, '--record', secondRecord]);
    running.push(second);
    const replayStarted = Math.floor(Date.now() / 1000);
    const replay = await runBin(['replay', firstRecord, '--url', second.url, '--secret', secret, '--json']);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    expect(readJsonLines(secondRecord)).toEqual(recorded);

    const output = await second.stop();
    running.pop();
    const events = output.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((line) => line.type !== undefined);
    expect(events).toHaveLength(recorded.length);
    for (const event of events) {
      // Accepted by createReceiver with the secret: the signature and the timestamp window both held.
      expect(event).toMatchObject({ verified: true, status: 200 });
      expect(event.webhookTimestamp).toBeGreaterThanOrEqual(replayStarted);
    }
  });

  it('replay names the line of an invalid recording and exits 2 without sending anything', async () => {
    const file = join(dir, 'broken.jsonl');
    const [chat] = buildConversation({ seed: 1 });
    writeFileSync(
      file,
      `${JSON.stringify(chat)}\n\n{"type": "message", "timestamp": "2026-01-01T00:00:00Z"\n`,
    );
    const result = await runBin(['replay', file, '--url', 'http://127.0.0.1:9/', '--secret', secret]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^caleida-sim: .*broken\.jsonl line 3: invalid JSON at column \d+/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('listen --forward-to passes the exact bytes and headers on, so the target can verify them', async () => {
    const target = await startListenBin(['--secret', secret]);
    running.push(target);
    const proxy = await startListenBin(['--forward-to', target.url]);
    running.push(proxy);
    const sent = await runBin(['send', 'insight.summary', '--url', proxy.url, '--secret', secret, '--json']);
    expect(sent.code).toBe(0);
    const [delivery] = sent.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const targetOutput = await target.stop();
    const received = targetOutput.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .find((line) => line.type === 'insight.summary');
    expect(received).toMatchObject({ verified: true, id: delivery.id });
  });
});
