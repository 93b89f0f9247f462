import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

/** The runtimes the Web build is proven on. */
export type RuntimeName = 'bun' | 'deno' | 'workerd';
export const RUNTIMES: RuntimeName[] = ['bun', 'deno', 'workerd'];

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const testDir = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = (name: string): string => join(testDir, 'node_modules', '.bin', name);
const STARTUP_MS = 20_000;
// The workspace packages are TypeScript sources; the @caleida/source condition picks them.
const SOURCE_CONDITIONS = ['@caleida/source'];
export const WORKER_CONDITIONS = [...SOURCE_CONDITIONS, 'workerd', 'worker', 'browser'];

/**
 * Serves a worker module (`export default { fetch(request, env) }`) in a runtime, on 127.0.0.1 and
 * a free port: Bun and Deno import it from bun-serve.ts / deno-serve.ts, with `env` as environment
 * variables; workerd runs it, through miniflare, bundled by esbuild for a worker, `env` as bindings.
 */
export async function startRuntime(
  runtime: RuntimeName,
  workerModule: string,
  env: Record<string, string>,
): Promise<RunningServer> {
  if (runtime === 'workerd') return startWorker(workerModule, env);
  const script = join(testDir, 'runtimes', `${runtime}-serve.ts`);
  const args =
    runtime === 'bun'
      ? [`--conditions=${SOURCE_CONDITIONS.join(',')}`, script]
      : [
          'run',
          '--no-lock',
          '--sloppy-imports',
          `--conditions=${SOURCE_CONDITIONS.join(',')}`,
          '--allow-net=127.0.0.1',
          '--allow-env',
          '--allow-read',
          script,
        ];
  const child = spawn(bin(runtime), args, {
    cwd: testDir,
    env: { ...process.env, ...env, CALEIDA_APP_MODULE: workerModule, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await listeningUrl(child, runtime);
  return { url, close: () => stop(child) };
}

async function startWorker(script: string, env: Record<string, string>): Promise<RunningServer> {
  const bundle = await build({
    entryPoints: [script],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: WORKER_CONDITIONS,
    logLevel: 'silent',
  });
  const worker = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]?.text ?? '',
    compatibilityDate: '2025-01-01',
    bindings: env,
    host: '127.0.0.1',
    port: 0,
  });
  const url = await worker.ready;
  return { url: url.origin, close: () => worker.dispose() };
}

function listeningUrl(child: ChildProcess, runtime: RuntimeName): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(`${runtime} did not start within ${STARTUP_MS} ms`), STARTUP_MS);
    const fail = (reason: string): void => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`${reason}:\n${output}`));
    };
    const onOutput = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /listening (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', (error) => fail(`${runtime} could not be started (${error.message})`));
    child.once('exit', (code) => fail(`${runtime} exited with ${code} before listening`));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}

/** What a runtime's receiver reports back to the test process. */
export interface TestProcessBridge {
  /** An event reached the route: resolve to answer 2xx, throw to make the route fail. */
  run(event: unknown): Promise<void>;
  /** The receiver logged a line. */
  log(line: string): void;
}

/** An HTTP server on 127.0.0.1 that a runtime's receiver calls: POST /run with an event, POST /log with a line. */
export async function startTestProcessBridge(bridge: TestProcessBridge): Promise<RunningServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (request.url === '/log') {
        bridge.log(body);
        response.writeHead(204).end();
        return;
      }
      bridge.run(JSON.parse(body)).then(
        () => response.writeHead(204).end(),
        () => response.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The worker module of the receiver app that the conformance and interop tests run. */
export const RECEIVER_WORKER = join(testDir, 'runtimes', 'receiver-worker.ts');
