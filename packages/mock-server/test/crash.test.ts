import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { createApi, type Receiver, startReceiver, tempDir, webhookInput } from './helpers.js';
import { spawnCli, waitForUrl } from './spawn-cli.js';

const EVENTS = 2000;
const KILL_AFTER = 700;
const API_KEY = 'crash-test-key-0123456789';

let child: ChildProcess | undefined;
let receiver: Receiver | undefined;
const dir = tempDir();
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await receiver?.close();
  dir.cleanup();
});

async function start(db: string) {
  child = spawnCli([
    'start',
    '--port',
    '0',
    '--db',
    db,
    '--api-key',
    API_KEY,
    '--retry-schedule',
    '0,0.2,0.5,1,1',
    '--log-level',
    'silent',
  ]);
  return createApi({ url: await waitForUrl(child), apiKey: API_KEY });
}

it('kill -9 mid-run loses nothing: after a restart on the same file every acknowledged event reaches the receiver', async () => {
  receiver = await startReceiver();
  const db = join(dir.path, 'mock.db');
  let api = await start(db);
  expect(
    (await api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['message'] }))).status,
  ).toBe(201);

  const ids = Array.from({ length: EVENTS }, (_, i) => `evt_crash_${i}`);
  const acknowledged = new Set<string>();
  let next = 0;
  let killed = false;
  const trigger = async (): Promise<void> => {
    while (next < ids.length && !killed) {
      const id = ids[next++] as string;
      try {
        const response = await api('POST', '/v1/events', { type: 'message', id });
        if (response.status === 202) acknowledged.add(id);
        if (acknowledged.size >= KILL_AFTER && !killed) {
          killed = true;
          child?.kill('SIGKILL');
        }
      } catch {
        // The server died under this request: the event may or may not be stored.
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, trigger));
  // The exit may already have been seen while the last requests were failing.
  if (child?.exitCode === null && child.signalCode === null)
    await new Promise((resolve) => child?.once('exit', resolve));
  const receivedAtKill = new Set(receiver.received.map((r) => r.headers['webhook-id'])).size;
  expect(receivedAtKill).toBeLessThan(EVENTS);

  api = await start(db);
  for (const id of ids.filter((id) => !acknowledged.has(id))) {
    const response = await api('POST', '/v1/events', { type: 'message', id });
    // 409: stored by the first process just before the kill, without the answer getting out.
    expect([202, 409]).toContain(response.status);
  }
  const distinct = () => new Set(receiver?.received.map((r) => r.headers['webhook-id']));
  const missing = () => ids.filter((id) => !distinct().has(id));
  await vi.waitFor(() => expect(missing()).toEqual([]), { timeout: 40_000, interval: 100 });
}, 90_000);
