import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_TYPES, generateSecret } from '@caleida/verify';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBin } from './helpers/build-bin.js';
import { runBin } from './helpers/run-bin.js';

const secret = generateSecret();
const dir = mkdtempSync(join(tmpdir(), 'caleida-sim-usage-'));
// Port 9 (discard) on 127.0.0.1 has no listener here: a refused connection, quickly.
const closedUrl = 'http://127.0.0.1:9/webhooks';

beforeAll(buildBin, 120_000);

async function expectUsageError(args: string[], message: RegExp, stdin?: string): Promise<void> {
  const result = await runBin(args, {}, stdin);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^caleida-sim: /);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toContain(secret);
}

describe('usage errors exit 2 with one clear line and no stack trace', () => {
  it('send <unknown type> lists the seven valid types', async () => {
    await expectUsageError(
      ['send', 'chat.created', '--url', closedUrl, '--secret', secret],
      new RegExp(
        `Unknown event type "chat\\.created"; use one of: ${EVENT_TYPES.join(', ').replace(/\./g, '\\.')}\\.`,
      ),
    );
  }, 30_000);

  it('an option given without its value (--data, --set, --events) says so, with exit 2', async () => {
    await Promise.all([
      expectUsageError(
        ['send', 'chat', '--url', closedUrl, '--secret', secret, '--data'],
        /--data needs a value/,
      ),
      expectUsageError(['fixtures', 'message', '--set'], /--set needs a value/),
      expectUsageError(['listen', '--port', '0', '--events'], /--events needs a value/),
    ]);
  }, 30_000);

  it('--set before the positional takes one value, so the event type is still read', async () => {
    const result = await runBin(['fixtures', '--set', 'data.role=agent', 'message']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ role: 'agent' });
  }, 30_000);

  it('send --data <missing file> says it cannot read it', async () => {
    await expectUsageError(
      ['send', 'chat', '--url', closedUrl, '--secret', secret, '--data', join(dir, 'nope.json')],
      /Cannot read --data .*nope\.json \(no such file\)/,
    );
  }, 30_000);

  it('send --data <invalid JSON> names the line and column', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "id": "chat_1",\n  "channel": web\n}\n');
    await expectUsageError(
      ['send', 'chat', '--url', closedUrl, '--secret', secret, '--data', file],
      /--data .*broken\.json line 3, column 14: invalid JSON/,
    );
  }, 30_000);

  it('send --data - with schema-invalid data names the field and its line', async () => {
    const fixture = await runBin(['fixtures', 'message']);
    const edited = fixture.stdout.replace(/"role": "\w+"/, '"role": "robot"');
    await expectUsageError(
      ['send', 'message', '--url', closedUrl, '--secret', secret, '--data', '-'],
      /--data stdin line \d+: "role" .* for a message event; compare with `caleida-sim fixtures message`/,
      edited,
    );
  }, 30_000);

  it('send --url <not a URL> says how to write it', async () => {
    await expectUsageError(
      ['send', 'chat', '--url', 'localhost:3000', '--secret', secret],
      /--url "localhost:3000" .*http/,
    );
  }, 30_000);

  it('send to an unreachable host says so', async () => {
    await expectUsageError(
      ['send', 'chat', '--url', closedUrl, '--secret', secret],
      /Cannot reach http:\/\/127\.0\.0\.1:9 \(connection refused\)/,
    );
  }, 30_000);

  it('check, scenario and load to an unreachable host say so', async () => {
    for (const command of [['check'], ['scenario'], ['load', '--duration', '1s']]) {
      await expectUsageError(
        [...command, '--url', closedUrl, '--secret', secret],
        /Cannot reach http:\/\/127\.0\.0\.1:9/,
      );
    }
  }, 30_000);

  it('a missing secret names --secret and CALEIDA_WEBHOOK_SECRET', async () => {
    await expectUsageError(['send', 'chat', '--url', closedUrl], /--secret .*CALEIDA_WEBHOOK_SECRET/);
  }, 30_000);

  it('a short secret is refused without being printed', async () => {
    await expectUsageError(
      ['send', 'chat', '--url', closedUrl, '--secret', 'hunter2'],
      /Invalid webhook secret: the secret is 7 characters long/,
    );
  }, 30_000);

  it('an unknown command or option points to --help', async () => {
    await expectUsageError(['sned'], /Unknown argument: sned \(see caleida-sim --help\)/);
    await expectUsageError(
      ['check', '--url', closedUrl, '--secrte', secret],
      /Unknown argument.*secrte.*\(see caleida-sim check --help\)/,
    );
  }, 30_000);

  it('load --duration and --mix reject what they cannot read', async () => {
    await expectUsageError(
      ['load', '--url', closedUrl, '--secret', secret, '--duration', 'soon'],
      /--duration "soon" is not a duration/,
    );
    await expectUsageError(
      ['load', '--url', closedUrl, '--secret', secret, '--mix', 'message=70,chats=10'],
      /Unknown event type "chats"/,
    );
  }, 30_000);

  it('a bad --header says how to write it', async () => {
    await expectUsageError(
      ['send', 'chat', '--url', closedUrl, '--secret', secret, '--header', 'nocolon'],
      /--header "nocolon" .*name:value/,
    );
  }, 30_000);
});
