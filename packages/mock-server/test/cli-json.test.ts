import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';
import { spawnCli } from './spawn-cli.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

/** Starts `caleida-mock start --json`, reads its first stdout line, calls the API, stops it, returns all stdout. */
async function startJson(db: string): Promise<{ first: Record<string, unknown>; stdout: string }> {
  const child = spawnCli(['start', '--json', '--port', '0', '--db', db, '--log-level', 'info']);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
    });
    void exited.then((code) => reject(new Error(`exited with ${code} before printing:\n${stderr}`)));
  });
  const first = JSON.parse(firstLine) as Record<string, unknown>;
  // A request makes the server log, which must not reach stdout.
  const response = await fetch(`${first.url as string}/v1/webhooks`);
  expect(response.status).toBe(401);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stderr).toContain('"level"');
  return { first, stdout };
}

describe('caleida-mock start --json', () => {
  it('prints exactly one JSON line with url, the generated apiKey and db, and logs to stderr', async () => {
    const db = join(dir.path, 'mock.db');
    const { first, stdout } = await startJson(db);
    expect(stdout.split('\n')).toEqual([expect.any(String), '']);
    expect(Object.keys(first).sort()).toEqual(['apiKey', 'db', 'url']);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.apiKey).toEqual(expect.any(String));
    expect(first.db).toBe(db);

    // On the second start the key is stored, not generated, so it is not printed again.
    const again = await startJson(db);
    expect(again.stdout.split('\n')).toHaveLength(2);
    expect(Object.keys(again.first).sort()).toEqual(['db', 'url']);
  }, 30_000);
});
