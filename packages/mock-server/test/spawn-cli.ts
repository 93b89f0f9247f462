import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

/** `caleida-mock` run from source as a child process. */
export function spawnCli(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--conditions=@caleida/source', '--import', 'tsx', BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the server URL once the child prints it. */
export function waitForUrl(child: ChildProcess, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`no URL printed in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${output}`));
    });
  });
}

/** What a running child has printed so far (read live), and its exit code once it exits. */
export interface CliOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exited: Promise<number | null>;
}

/** Collects a child's output from now on, for tests that wait on what it prints while it runs. */
export function collectOutput(child: ChildProcess): CliOutput {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
  };
}

/** Runs the CLI to the end and returns its exit code and output. */
export async function runCliToEnd(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const output = collectOutput(spawnCli(args));
  const code = await output.exited;
  return { code, stdout: output.stdout, stderr: output.stderr };
}
