import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const SQLITE = createRequire(import.meta.url).resolve('better-sqlite3');

// A second process with its own better-sqlite3 connection: takes the write lock, says so, and
// gives it back after `ms` or when told to on stdin, whichever comes first.
const HOLDER = `
const Database = require(process.argv[1]);
const [file, mode, ms] = process.argv.slice(2);
const db = new Database(file, { timeout: 10000 });
db.exec('BEGIN ' + mode);
process.stdout.write('locked\\n');
let done = false;
const release = () => { if (done) return; done = true; db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); process.exit(0); };
setTimeout(release, Number(ms));
process.stdin.on('data', release);
`;

/** The write lock of a database, held by another process. */
export interface HeldLock {
  /** When the other process had the lock. */
  lockedAt: number;
  /** Resolves once the other process has let go of the lock. */
  released: Promise<void>;
  /** Lets go of the lock now. */
  release(): Promise<void>;
}

/**
 * Starts a process that holds `file`'s write lock (`BEGIN IMMEDIATE`, or `EXCLUSIVE`) for up to
 * `ms`; resolves once it holds it.
 */
export function holdDatabaseLock(
  file: string,
  { ms, mode = 'IMMEDIATE' }: { ms: number; mode?: 'IMMEDIATE' | 'EXCLUSIVE' },
): Promise<HeldLock> {
  const child = spawn(process.execPath, ['-e', HOLDER, SQLITE, file, mode, String(ms)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  // The holder may exit on its own timer just as it is told to let go.
  child.stdin.on('error', () => {});
  let output = '';
  let releasedAt: (() => void) | undefined;
  const released = new Promise<void>((resolve) => {
    releasedAt = resolve;
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('released')) releasedAt?.();
      if (output === 'locked\n') {
        resolve({
          lockedAt: Date.now(),
          released,
          release() {
            if (child.exitCode === null) child.stdin.write('now\n');
            return released;
          },
        });
      }
    });
    child.once('exit', (code) => {
      releasedAt?.();
      if (!output.includes('locked')) reject(new Error(`the lock holder exited with ${code} before locking`));
    });
  });
}
