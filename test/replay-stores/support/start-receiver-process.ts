import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./receiver-process.ts', import.meta.url));

/** A receiver child process and the URL it listens on. */
export interface ReceiverProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves once it printed `text`. */
  printed(text: string, timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Spawns receiver-process.ts with these variables and waits until it listens. The packages load from
 * their built `dist/` (`pnpm build`, which `pnpm test` runs first): compiling every source file
 * again in each child made a start take seconds.
 */
export async function startReceiverProcess(env: Record<string, string>): Promise<ReceiverProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const printed = (text: string, timeoutMs = 50_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the receiver process did not print "${text}" within ${timeoutMs} ms:\n${output}`));
      }, timeoutMs);
      const check = () => {
        if (!output.includes(text)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  await printed('listening ');
  const url = /listening (\S+)/.exec(output)?.[1] as string;
  return {
    url,
    child,
    output: () => output,
    printed,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
