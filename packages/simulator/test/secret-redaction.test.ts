import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret } from '@caleida/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin } from './helpers/build-bin.js';
import { type BinResult, runBin } from './helpers/run-bin.js';
import { startBrokenReceiver, type TestReceiver } from './helpers/start-receivers.js';

// The secret used where it belongs, and the one pasted into the wrong place.
const secret = generateSecret();
const misplaced = generateSecret();
const apiKey = `cmk_${randomBytes(24).toString('base64url')}`;
const dir = mkdtempSync(join(tmpdir(), 'caleida-sim-redact-'));
const closedUrl = 'http://127.0.0.1:9/webhooks';
const KEPT = 'whsec_'.length + 4;

let receiver: TestReceiver;
beforeAll(async () => {
  await buildBin();
  receiver = await startBrokenReceiver();
}, 120_000);
afterAll(() => receiver.close());

/** Fails if any 6 characters in a row of `value` past its kept prefix appear in the output. */
function expectHidden(result: BinResult, value: string, kept = KEPT): void {
  const output = result.stdout + result.stderr;
  const hidden = value.slice(kept);
  for (let i = 0; i + 6 <= hidden.length; i++) expect(output).not.toContain(hidden.slice(i, i + 6));
  expect(output).not.toContain(secret.slice(KEPT));
}

/** Runs the CLI, expects a one-line usage error that hides `value` and matches `message`. */
async function expectRedactedError(
  args: string[],
  message: RegExp,
  { value = misplaced, kept = KEPT }: { value?: string; kept?: number } = {},
): Promise<void> {
  const result = await runBin(args);
  expectHidden(result, value, kept);
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`${value.slice(0, kept)}…[redacted]`);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

const WEBHOOK_SECRET_HINT =
  /looks like a secret: pass a webhook secret with --secret or set CALEIDA_WEBHOOK_SECRET/;

describe('caleida-sim never prints a secret given in the wrong place', () => {
  it('send <type> --url ... <secret> (forgotten --secret): unknown argument, pass it with --secret', async () => {
    await expectRedactedError(['send', 'message', '--url', closedUrl, misplaced], /Unknown argument: whsec_/);
    await expectRedactedError(
      ['send', 'message', '--url', closedUrl, misplaced, '--json'],
      WEBHOOK_SECRET_HINT,
    );
  });

  it('--url <secret> is not a URL, and says how to write one', async () => {
    await expectRedactedError(
      ['send', 'message', '--url', misplaced, '--secret', secret],
      /--url "whsec_\S+" is not a URL; write it in full, e.g\. http:\/\/localhost:3000.*--secret/,
    );
  });

  it('listen --forward-to <secret> is not a URL', async () => {
    await expectRedactedError(
      ['listen', '--port', '0', '--forward-to', misplaced],
      /--forward-to "whsec_\S+" is not a URL; write it in full/,
    );
  });

  it('--header <secret> is not a header, and says how to write one', async () => {
    await expectRedactedError(
      ['send', 'message', '--url', closedUrl, '--secret', secret, '--header', misplaced],
      /--header "whsec_\S+" is not a header; write it as name:value/,
    );
  });

  it('replay and load --rate <secret> is not a rate', async () => {
    const file = join(dir, 'one.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ type: 'chat', timestamp: new Date().toISOString(), data: {} })}\n`,
    );
    await expectRedactedError(
      ['replay', file, '--url', closedUrl, '--secret', secret, '--rate', misplaced],
      /--rate "whsec_\S+" is not a rate; write e\.g\. 50 or 50\/s/,
    );
    await expectRedactedError(
      ['load', '--url', closedUrl, '--secret', secret, '--rate', misplaced, '--json'],
      /--rate "whsec_\S+" is not a rate/,
    );
  });

  it('send, fixtures and trigger <secret> as the event type: unknown event type', async () => {
    await expectRedactedError(
      ['send', misplaced, '--url', closedUrl, '--secret', secret],
      /Unknown event type "whsec_\S+"; use one of: chat/,
    );
    await expectRedactedError(['fixtures', misplaced], /Unknown event type "whsec_\S+"/);
    await expectRedactedError(
      ['trigger', misplaced, '--server', closedUrl, '--api-key', apiKey],
      /Unknown event type "whsec_\S+"/,
    );
  });

  it('scenario <secret>: yargs says the value is not a choice', async () => {
    await expectRedactedError(
      ['scenario', misplaced, '--url', closedUrl, '--secret', secret],
      /Invalid values:.*whsec_\S+.*conversation/,
    );
  });

  it('replay <file> whose JSON line has a secret as its type names the line', async () => {
    const file = join(dir, 'bad-type.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ type: misplaced, timestamp: new Date().toISOString(), data: {} })}\n`,
    );
    await expectRedactedError(
      ['replay', file, '--url', closedUrl, '--secret', secret],
      /line 1: unknown event type "whsec_\S+" \(valid: chat/,
    );
  });

  it('trigger ... <api key> (forgotten --api-key): unknown argument, pass it with --api-key', async () => {
    await expectRedactedError(
      ['trigger', 'message', '--server', closedUrl, apiKey],
      /Unknown argument: cmk_\S+.*--api-key or set CALEIDA_API_KEY/,
      { value: apiKey, kept: 'cmk_'.length + 4 },
    );
  });

  it('an unprefixed key (raw base64) given as --url is hidden too', async () => {
    const raw = randomBytes(32).toString('base64');
    await expectRedactedError(['send', 'message', '--url', raw, '--secret', secret], /is not a URL/, {
      value: raw,
      kept: 4,
    });
  });

  it('a secret given as --id is hidden in the delivery lines, in text and in --json', async () => {
    for (const json of [false, true]) {
      const result = await runBin([
        'send',
        'message',
        '--url',
        receiver.url,
        '--secret',
        secret,
        '--id',
        misplaced,
        ...(json ? ['--json'] : []),
      ]);
      expect(result.code).toBe(0);
      expectHidden(result, misplaced);
      expect(result.stdout).toContain(`${misplaced.slice(0, KEPT)}…[redacted]`);
      if (json) for (const line of result.stdout.trim().split('\n')) JSON.parse(line);
    }
  });
});
