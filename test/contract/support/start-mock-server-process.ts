import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMockClient, type MockClient } from '@caleida/mock-server/client';

const bin = fileURLToPath(new URL('../../../packages/mock-server/src/bin.ts', import.meta.url));

/** A mock server running as its own process, on a SQLite file in a temporary folder. */
export interface MockServerProcess {
  url: string;
  /** The typed client `@caleida/mock-server/client`, with this server's URL and API key. */
  client: MockClient;
  child: ChildProcess;
  /** How many log lines with this message the server printed so far (needs `logLevel: 'info'`). */
  logged(message: string): number;
  stop(): Promise<void>;
}

/**
 * Starts `caleida-mock start` as a child process on a free port and a fresh database file, and
 * resolves once it prints where it listens. `args` adds options, e.g. `['--chaos-duplicate', '0.5']`;
 * `logLevel` other than silent keeps its log lines for `logged()`.
 */
export async function startMockServerProcess(
  args: string[] = [],
  { logLevel = 'silent' }: { logLevel?: 'silent' | 'info' } = {},
): Promise<MockServerProcess> {
  const folder = mkdtempSync(join(tmpdir(), 'caleida-contract-'));
  const apiKey = 'contract-test-key-0123456789';
  const child = spawn(
    process.execPath,
    [
      '--conditions=@caleida/source',
      '--import',
      'tsx',
      bin,
      'start',
      '--port',
      '0',
      '--db',
      join(folder, 'mock.db'),
      '--api-key',
      apiKey,
      '--log-level',
      logLevel,
      '--retry-schedule',
      '0,0.2,0.4,0.6,1',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const messages = new Map<string, number>();
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const { msg } = JSON.parse(line) as { msg?: string };
      if (msg) messages.set(msg, (messages.get(msg) ?? 0) + 1);
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the mock server did not start in 20 s:\n${output}`)),
      20_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the mock server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    client: createMockClient({ url, apiKey }),
    child,
    logged: (message) => messages.get(message) ?? 0,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
