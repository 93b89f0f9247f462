import { generateSecret } from '@caleida/verify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attackCases } from '../src/check/attack-cases.js';
import { buildBin } from './helpers/build-bin.js';
import { runBin } from './helpers/run-bin.js';
import {
  startBrokenReceiver,
  startCoreReceiver,
  startExpressReceiver,
  startTerseReceiver,
  type TestReceiver,
} from './helpers/start-receivers.js';

const secret = generateSecret();
let receiver: TestReceiver | undefined;

beforeAll(buildBin, 120_000);
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const REQUIRED_REJECTIONS = attackCases
  .filter((each) => each.required && each.expect === 'reject')
  .map((each) => each.name);

function rowOf(stdout: string, name: string): string {
  return stdout.split('\n').find((line) => line.startsWith(`${name}  `)) ?? `(no row for ${name})`;
}

describe('caleida-sim check --url --secret', () => {
  it.each([
    ['Express with @caleida/express-middleware', startExpressReceiver],
    ['Node http around createReceiver().handle', startCoreReceiver],
  ])('passes a receiver built with %s: exit 0, every case passing', async (_, start) => {
    receiver = await start(secret);
    const result = await runBin(['check', '--url', receiver.url, '--secret', secret]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const each of attackCases) expect(rowOf(result.stdout, each.name)).toMatch(/✓ pass$/);
    expect(result.stdout).toContain(`✓ ${attackCases.length}/${attackCases.length} cases passed`);
    expect(result.stdout).toContain('replayed id: the endpoint said it recognised the copy');
    // The valid event ran once; the replayed copy did not run it again.
    expect(receiver.events.filter((event) => event.type === 'message')).toHaveLength(1);
  });

  it('fails a receiver that accepts everything with exit 1 and a table naming the missing protections', async () => {
    receiver = await startBrokenReceiver();
    const result = await runBin(['check', '--url', receiver.url, '--secret', secret]);
    expect(result.code).toBe(1);
    for (const name of REQUIRED_REJECTIONS) {
      expect(rowOf(result.stdout, name)).toMatch(/required +4xx \(\d{3}\) +200 +✗ FAIL$/);
    }
    expect(rowOf(result.stdout, 'valid event')).toMatch(/✓ pass$/);
    expect(rowOf(result.stdout, 'replayed id')).toMatch(/\? unverified$/);
    expect(rowOf(result.stdout, 'oversized body (1.06 MiB)')).toMatch(/advisory .* ! warn$/);
    expect(result.stdout).toContain('✗ wrong secret (required): anyone can send your endpoint events');
    expect(result.stdout).toContain('Fix: verify webhook-signature');
    expect(result.stdout).toContain('whether the handler ran twice cannot be seen from outside');
    expect(result.stdout).toMatch(
      /Missing protections: wrong secret, one byte changed, missing webhook-id, .*non-numeric timestamp\./,
    );
  });

  it('passes a receiver that refuses with other 4xx codes, with an advisory note per case', async () => {
    receiver = await startTerseReceiver(secret);
    const result = await runBin(['check', '--url', receiver.url, '--secret', secret]);
    expect(result.code).toBe(0);
    expect(rowOf(result.stdout, 'wrong secret')).toMatch(/4xx \(401\) +403 +✓ pass$/);
    expect(result.stdout).toContain('- wrong secret: advisory: 401 is the recommended status');
    expect(rowOf(result.stdout, 'replayed id')).toMatch(/\? unverified$/);
  });

  it('--json prints one JSON line per case, then a summary that lists the failed cases', async () => {
    receiver = await startBrokenReceiver();
    const result = await runBin(['check', '--url', receiver.url, '--json'], {
      CALEIDA_WEBHOOK_SECRET: secret,
    });
    expect(result.code).toBe(1);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(attackCases.length + 1);
    expect(lines[0]).toMatchObject({ name: 'valid event', required: true, got: '200', result: 'pass' });
    expect(lines.at(-1)).toMatchObject({ summary: true, passed: false, failed: REQUIRED_REJECTIONS });
    expect(result.stdout).not.toContain(secret);
  });
});
