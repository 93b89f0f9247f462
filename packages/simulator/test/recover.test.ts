import { startMockServer } from '@caleida/mock-server';
import { generateSecret } from '@caleida/verify';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBin } from './helpers/build-bin.js';
import { runBin } from './helpers/run-bin.js';

beforeAll(buildBin, 120_000);

const API_KEY = 'cmk_test_0123456789abcdef';

describe('caleida-sim recover --webhook <id> --since <time|duration>', () => {
  it('refuses a missing or malformed argument with exit 2 and what to write instead', async () => {
    const base = ['recover', '--server', 'http://127.0.0.1:9', '--api-key', API_KEY];
    const [noWebhook, badSince, future, badDate, badId, noKey, badServer] = await Promise.all([
      runBin([...base, '--since', '2h']),
      runBin([...base, '--webhook', 'wh_1', '--since', 'yesterday']),
      runBin([...base, '--webhook', 'wh_1', '--since', '2999-01-01T00:00:00Z']),
      runBin([...base, '--webhook', 'wh_1', '--since', '2026-02-30']),
      runBin([...base, '--webhook', 'wh 1/..', '--since', '2h']),
      runBin(['recover', '--server', 'http://127.0.0.1:9', '--webhook', 'wh_1', '--since', '2h'], {
        CALEIDA_API_KEY: '',
      }),
      runBin([
        'recover',
        '--mock-url',
        'localhost:4000',
        '--webhook',
        'wh_1',
        '--since',
        '2h',
        '--api-key',
        API_KEY,
      ]),
    ]);
    for (const result of [noWebhook, badSince, future, badDate, badId, noKey, badServer]) {
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(noWebhook.stderr).toMatch(/webhook/);
    expect(badSince.stderr).toMatch(/--since "yesterday" is neither a time nor a duration; write e\.g\./);
    expect(future.stderr).toMatch(/--since 2999-01-01T00:00:00\.000Z is in the future/);
    expect(badDate.stderr).toMatch(/--since "2026-02-30" is not a real date|neither a time/);
    expect(badId.stderr).toMatch(/--webhook "wh 1\/\.\." is not a webhook id/);
    expect(noKey.stderr).toMatch(/No API key: pass --api-key or set CALEIDA_API_KEY/);
    expect(badServer.stderr).toMatch(/--server "localhost:4000"/);
  }, 30_000);

  it('against a real mock server, says clearly what its 404 means', async () => {
    const server = await startMockServer({ port: 0, db: ':memory:' });
    const api = { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' };
    try {
      const [result, json] = await Promise.all([
        runBin([
          'recover',
          '--webhook',
          'wh_missing',
          '--since',
          '30m',
          '--mock-url',
          server.url,
          '--api-key',
          server.apiKey,
        ]),
        runBin(
          [
            'recover',
            '--webhook',
            'wh_missing',
            '--since',
            '2026-11-01T00:00:00Z',
            '--server',
            server.url,
            '--json',
          ],
          { CALEIDA_API_KEY: server.apiKey },
        ),
      ]);
      expect(result.code).toBe(1);
      expect(result.stdout).not.toContain(server.apiKey);
      // Both 404s come from the same server: ask it directly which one this is, then check the CLI said so.
      const direct = await fetch(`${server.url}/v1/webhooks/wh_missing/recover`, {
        method: 'POST',
        headers: api,
        body: JSON.stringify({ since: new Date(Date.now() - 60_000).toISOString() }),
      });
      expect(direct.status).toBe(404);
      const hasEndpoint = !((await direct.json()) as { message: string }).message.startsWith('No route');
      expect(result.stdout).toMatch(
        hasEndpoint
          ? /^✗ 404 No webhook with id wh_missing.*GET \/v1\/webhooks/m
          : /^✗ 404 This mock server has no bulk-recovery endpoint \(POST \/v1\/webhooks\/\{id\}\/recover\)/m,
      );
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({
        summary: true,
        status: 404,
        webhook: 'wh_missing',
        since: '2026-11-01T00:00:00.000Z',
      });
      if (hasEndpoint) {
        // A webhook with nothing failed: the server accepts, and the CLI prints the count.
        const created = await fetch(`${server.url}/v1/webhooks`, {
          method: 'POST',
          headers: api,
          body: JSON.stringify({
            url: 'http://127.0.0.1:9/hook',
            name: 'recover',
            secret: generateSecret(),
            events: ['message'],
          }),
        });
        expect(created.status).toBe(201);
        const { id } = (await created.json()) as { id: string };
        const ok = await runBin(['recover', '--webhook', id, '--since', '1h', '--server', server.url], {
          CALEIDA_API_KEY: server.apiKey,
        });
        expect(ok.stderr).toBe('');
        expect(ok.code).toBe(0);
        expect(ok.stdout).toMatch(
          new RegExp(`^✓ 20\\d re-sent 0 deliveries of ${id} that failed since `, 'm'),
        );
      }
    } finally {
      await server.close();
    }
  }, 30_000);
});
