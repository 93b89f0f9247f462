import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MockApi, mockApi } from './mock-api.js';

const bin = fileURLToPath(new URL('../../../packages/mock-server/src/bin.ts', import.meta.url));

/** A mock server running as its own process, on a SQLite file in a temporary folder. */
export interface MockServerProcess {
  url: string;
  api: MockApi;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `caleida-mock start` as a child process on a free port and a fresh database file, and
 * resolves once it prints where it listens. `args` adds options, e.g. `['--chaos-duplicate', '0.5']`.
 */
export async function startMockServerProcess(args: string[] = []): Promise<MockServerProcess> {
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
      'silent',
      '--retry-schedule',
      '0,0.2,0.4,0.6,1',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
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
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the mock server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    api: mockApi(url, apiKey),
    child,
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
