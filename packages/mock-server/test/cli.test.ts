import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';
import { runCliToEnd } from './spawn-cli.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

describe('caleida-mock start', () => {
  it('a port in use gives a one-line message and exit code 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCliToEnd([
        'start',
        '--port',
        String(port),
        '--db',
        ':memory:',
        '--log-level',
        'silent',
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toMatch(
        new RegExp(`^caleida-mock: Port ${port} on 127.0.0.1 is already in use`),
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      blocker.close();
    }
  });

  it('an unwritable db path gives a one-line message and exit code 2', async () => {
    const file = join(dir.path, 'a-file');
    writeFileSync(file, 'not a folder');
    const result = await runCliToEnd([
      'start',
      '--port',
      '0',
      '--db',
      join(file, 'mock.db'),
      '--log-level',
      'silent',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^caleida-mock: Cannot open the database at .*mock\.db/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad --retry-schedule gives a one-line message and exit code 2', async () => {
    const result = await runCliToEnd(['start', '--retry-schedule', '0,soon', '--db', ':memory:']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^caleida-mock: --retry-schedule must list seconds/);
  });

  it('an unknown option gives exit code 2', async () => {
    const result = await runCliToEnd(['start', '--colour', 'blue']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/colour/);
  });
});
