import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = new URL('..', import.meta.url).pathname;
const root = new URL('../../..', import.meta.url).pathname;
const next = new URL('../../node_modules/.bin/next', import.meta.url).pathname;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WRONG_SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ==';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CALEIDA_WEBHOOK_SECRET: SECRET };

let server: ChildProcess | undefined;
let baseUrl = '';
let output = '';
/** How long `next build` took in this run, reported with the results. */
let buildSeconds = 0;

beforeAll(async () => {
  // The example uses @caleida/verify as a customer would: its built dist/.
  execFileSync('npx', ['tsc', '-b', 'packages/verify/tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
  rmSync(new URL('../.next', import.meta.url), { recursive: true, force: true });
  const started = performance.now();
  execFileSync(next, ['build'], { cwd: appDir, env, stdio: 'pipe' });
  buildSeconds = (performance.now() - started) / 1000;
  console.log(`next build: ${buildSeconds.toFixed(1)} s`);
  server = spawn(next, ['start', '--hostname', '127.0.0.1', '--port', '0'], { cwd: appDir, env });
  baseUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (url && /Ready/.test(output)) resolve(url[0]);
    };
    server?.stdout?.on('data', onData);
    server?.stderr?.on('data', onData);
    server?.once('exit', (code) => reject(new Error(`next start exited with ${code}:\n${output}`)));
  });
}, 240_000);

afterAll(() => {
  server?.kill();
});

async function post(path: string, secret: string) {
  const { body, headers, id } = signedRequest({ secret, event: buildEvent('message') });
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body });
  return { id, status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('examples/nextjs, built with next build and started with next start', () => {
  it('the Node.js runtime route answers a signed request 200 with the event id', async () => {
    const response = await post('/api/webhooks/caleida', SECRET);
    expect(response).toEqual({
      id: response.id,
      status: 200,
      json: { received: true, id: response.id, type: 'message' },
    });
  });

  it('the Node.js runtime route answers a forged request 401 no_matching_signature', async () => {
    const response = await post('/api/webhooks/caleida', WRONG_SECRET);
    expect({ status: response.status, code: response.json.code }).toEqual({
      status: 401,
      code: 'no_matching_signature',
    });
  });

  it('the Edge runtime route (Web Crypto build) answers a signed request 200 with the event id', async () => {
    const response = await post('/api/webhooks/caleida-edge', SECRET);
    expect(response).toEqual({
      id: response.id,
      status: 200,
      json: { received: true, id: response.id, type: 'message' },
    });
  });

  it('the Edge runtime route answers a forged request 401 no_matching_signature', async () => {
    const response = await post('/api/webhooks/caleida-edge', WRONG_SECRET);
    expect({ status: response.status, code: response.json.code }).toEqual({
      status: 401,
      code: 'no_matching_signature',
    });
  });
});
