import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './build-bin.js';

/** What a finished CLI run printed and returned. */
export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `caleida-sim` (the built bin) to the end. */
export function runBin(args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, CALEIDA_WEBHOOK_SECRET: '', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** A long-running `caleida-sim listen`, stopped with SIGTERM. */
export interface RunningBin {
  url: string;
  child: ChildProcess;
  stop(): Promise<BinResult>;
}

/** Starts `caleida-sim listen --port 0 --json ...` and resolves once it prints where it listens. */
export function startListenBin(args: string[]): Promise<RunningBin> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'listen', '--port', '0', '--json', ...args], {
      env: { ...process.env, CALEIDA_WEBHOOK_SECRET: '', NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    const closed = new Promise<BinResult>((done) =>
      child.on('close', (code) => done({ code, stdout, stderr })),
    );
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`listen did not start: ${stderr}`));
    }, 15_000);
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /"listening":"([^"]+)"/.exec(stdout);
      if (match?.[1] && timer) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          stop: () => {
            child.kill('SIGTERM');
            return closed;
          },
        });
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`listen exited with ${code}: ${stderr}`));
    });
  });
}
