import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockServerError, startMockServer } from '../src/index.js';
import { createApi, startReceiver, tempDir, webhookInput } from './helpers.js';
import { runCliToEnd, spawnCli, waitForUrl } from './spawn-cli.js';

const API_KEY = 'single-server-key-0123456789';
let dir: ReturnType<typeof tempDir>;
let child: ChildProcess | undefined;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  dir.cleanup();
});

/** A pid that no process has any more. */
async function deadPid(): Promise<number> {
  const gone = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => gone.once('exit', resolve));
  return gone.pid as number;
}

describe('one mock server per database file', () => {
  it('a second caleida-mock start on the same --db exits with code 2 and one line naming the first one’s pid; the first keeps delivering', async () => {
    const receiver = await startReceiver();
    try {
      const db = join(dir.path, 'mock.db');
      child = spawnCli(['start', '--port', '0', '--db', db, '--api-key', API_KEY, '--log-level', 'silent']);
      const api = createApi({ url: await waitForUrl(child), apiKey: API_KEY });
      await api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));

      const second = await runCliToEnd(['start', '--port', '0', '--db', db, '--log-level', 'silent']);
      expect(second.code).toBe(2);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr).toMatch(
        new RegExp(
          `^caleida-mock: The database at .*mock\\.db is already used by another mock server in process ${child.pid};`,
        ),
      );

      expect((await api('POST', '/v1/events', { type: 'chat', id: 'evt_after_refusal' })).status).toBe(202);
      await receiver.waitFor(1);
      expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual(['evt_after_refusal']);
    } finally {
      await receiver.close();
    }
  }, 30_000);

  it('startMockServer() on a file this process already serves throws MockServerError database_in_use', async () => {
    const db = join(dir.path, 'mock.db');
    const first = await startMockServer({ port: 0, db });
    try {
      const refused = await startMockServer({ port: 0, db }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(MockServerError);
      expect(refused).toMatchObject({
        code: 'database_in_use',
        message: expect.stringContaining(`this process (pid ${process.pid})`),
      });
      // The refused start left the first one's lock alone.
      expect(readFileSync(`${db}.lock`, 'utf8').trim()).toBe(String(process.pid));
    } finally {
      await first.close();
    }
    expect(existsSync(`${db}.lock`)).toBe(false);
    const again = await startMockServer({ port: 0, db });
    await again.close();
  });

  it('a lock file left by a process that died is taken over', async () => {
    const db = join(dir.path, 'mock.db');
    writeFileSync(`${db}.lock`, `${await deadPid()}\n`);
    const server = await startMockServer({ port: 0, db });
    expect(readFileSync(`${db}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await server.close();
  });

  it('servers on :memory: do not lock anything', async () => {
    const servers = await Promise.all([startMockServer({ port: 0 }), startMockServer({ port: 0 })]);
    await Promise.all(servers.map((server) => server.close()));
  });
});
