import { afterEach, describe, expect, it } from 'vitest';
import { createApi, webhookInput } from './helpers.js';
import { spawnCli, waitForUrl } from './spawn-cli.js';

const apiKey = 'test-key-0123456789abcdef';
let child: ReturnType<typeof spawnCli> | undefined;
afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
});

async function startCli(...flags: string[]) {
  child = spawnCli([
    'start',
    '--port',
    '0',
    '--db',
    ':memory:',
    '--api-key',
    apiKey,
    '--log-level',
    'silent',
    ...flags,
  ]);
  return createApi({ url: await waitForUrl(child), apiKey });
}

describe('caleida-mock start --allow-private-network', () => {
  it('accepts a webhook on a private-network address only with the flag', async () => {
    const strict = await startCli('--allow-http');
    const refused = await strict('POST', '/v1/webhooks', webhookInput('http://10.1.2.3:8080/hook'));
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    child?.kill('SIGTERM');

    const open = await startCli('--allow-http', '--allow-private-network');
    const created = await open('POST', '/v1/webhooks', webhookInput('http://10.1.2.3:8080/hook'));
    expect(created).toMatchObject({ status: 201, body: { url: 'http://10.1.2.3:8080/hook' } });
  });
});
