import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = new URL('..', import.meta.url).pathname;
const workDir = mkdtempSync(join(tmpdir(), 'caleida-verify-pack-'));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the published @caleida/verify package', () => {
  it('packs, installs from the tarball, and works from plain Node without tsx', () => {
    execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: packageDir, stdio: 'pipe' });
    execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', workDir], {
      cwd: packageDir,
      stdio: 'pipe',
    });
    const tarball = readdirSync(workDir).find((file) => file.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    writeFileSync(
      join(workDir, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `./${tarball}`], {
      cwd: workDir,
      stdio: 'pipe',
    });
    const script = `
      import { constructEvent, createReceiver, sign, EVENT_TYPES } from '@caleida/verify';
      import { buildEvent, signedRequest } from '@caleida/verify/testing';
      import { createRequire } from 'node:module';
      const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
      const vector = sign({ secret, id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, payload: '{"test": 2432232314}' });
      const request = signedRequest({ secret, event: buildEvent('insight.sentiment') });
      const event = constructEvent({ secret, payload: request.body, headers: request.headers });
      const schema = createRequire(import.meta.url)('@caleida/verify/schemas/chat.json');
      console.log(JSON.stringify({ vector, type: event.type, events: EVENT_TYPES.length, receiver: typeof createReceiver, schema: schema.title }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: workDir,
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({
      vector: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      type: 'insight.sentiment',
      events: 7,
      receiver: 'function',
      schema: 'Caleida chat event',
    });
  }, 120_000);

  it('ships type declarations next to the JavaScript', () => {
    const listing = execFileSync(
      'tar',
      ['-tzf', join(workDir, readdirSync(workDir).find((f) => f.endsWith('.tgz')) ?? '')],
      {
        encoding: 'utf8',
      },
    );
    expect(listing).toContain('package/dist/index.d.ts');
    expect(listing).toContain('package/dist/testing/index.js');
    expect(listing).toContain('package/schemas/insight.sentiment.json');
    expect(listing).not.toContain('package/src/');
  });
});
