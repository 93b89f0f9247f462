import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateSecret } from '@caleida/verify';
import { describe, expect, it } from 'vitest';
import { startExpressReceiver } from '../../examples/express-receiver.js';
import { startFastifyReceiver } from '../../examples/fastify-receiver.js';
import { startFetchReceiver } from '../../examples/fetch-receiver.js';
import { startKoaReceiver } from '../../examples/koa-receiver.js';

const simulator = fileURLToPath(new URL('../../packages/simulator/dist/bin.js', import.meta.url));
const run = promisify(execFile);

describe('caleida-sim check against every example receiver', () => {
  it.each([
    ['express', startExpressReceiver],
    ['koa', startKoaReceiver],
    ['fastify', startFastifyReceiver],
    ['fetch', startFetchReceiver],
  ] as const)('the %s example passes every required case', async (_name, start) => {
    const secret = generateSecret();
    const receiver = await start({ secret, port: 0 });
    try {
      const { stdout } = await run(
        process.execPath,
        [simulator, 'check', '--url', receiver.url, '--secret', secret, '--json'],
        {
          encoding: 'utf8',
        },
      ).catch((error: { stdout: string; code: number }) => {
        throw new Error(`caleida-sim check exited ${error.code}:\n${error.stdout}`);
      });
      expect(stdout).not.toContain(secret);
      const lines = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const summary = lines.at(-1);
      expect(summary).toMatchObject({ summary: true, passed: true, failed: [] });
      expect(summary?.cases).toBeGreaterThan(10);
    } finally {
      await receiver.close();
    }
  });
});
