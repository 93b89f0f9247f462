import { describe, expect, it } from 'vitest';
import { startMockServer } from '../src/index.js';
import { runCliToEnd } from './spawn-cli.js';

describe('caleida-mock start: endpoint health options', () => {
  it('a bad --disable-after-failing gives a one-line message and exit code 2', async () => {
    const result = await runCliToEnd(['start', '--disable-after-failing', 'soon', '--db', ':memory:']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'caleida-mock: --disable-after-failing must be a duration such as 5d, 12h, 30m, 10s or 500ms; got "soon".',
    );
  });

  it('--operational-webhook-url without a secret says how to give one', async () => {
    const result = await runCliToEnd([
      'start',
      '--operational-webhook-url',
      'http://127.0.0.1:9/ops',
      '--db',
      ':memory:',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^caleida-mock: --operational-webhook-url needs a secret to sign with/,
    );
  });
});

describe('startMockServer(): endpoint health options', () => {
  it.each([
    [
      { disableAfterFailingMs: -1 },
      /disableAfterFailingMs must be a whole number of milliseconds ≥ 0; got -1/,
    ],
    [{ disableAfterExhausted: 0 }, /disableAfterExhausted must be a whole number ≥ 1; got 0/],
    [
      { operationalWebhook: { url: 'ftp://x', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } },
      /must be an http\(s\) URL/,
    ],
    [
      { operationalWebhook: { url: 'http://127.0.0.1:9/ops', secret: 'nope' } },
      /operational webhook secret is not usable/,
    ],
    [{ throttle: { minPauseMs: 500, maxPauseMs: 100 } }, /1 ≤ minPauseMs ≤ maxPauseMs; got 500 and 100/],
  ])('%j is refused with invalid_option', async (options, message) => {
    await expect(startMockServer({ port: 0, ...options })).rejects.toMatchObject({
      code: 'invalid_option',
      message: expect.stringMatching(message),
    });
  });
});
