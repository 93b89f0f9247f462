import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const SQLITE = createRequire(import.meta.url).resolve('better-sqlite3');

// A second process with its own better-sqlite3 connection. Told "lock <ms> <mode>" on stdin, it
// takes the write lock, says so, and gives it back after <ms> or when told "release".
const HOLDER = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2], { timeout: 10000 });
let timer;
const release = () => {
  clearTimeout(timer);
  if (db.inTransaction) db.exec('COMMIT');
  db.close();
  process.stdout.write('released\\n');
  process.exit(0);
};
let input = '';
process.stdin.on('data', (chunk) => {
  input += chunk;
  for (let end; (end = input.indexOf('\\n')) >= 0; input = input.slice(end + 1)) {
    const [command, ms, mode] = input.slice(0, end).split(' ');
    if (command === 'release') return release();
    db.exec('BEGIN ' + mode);
    process.stdout.write('locked\\n');
    timer = setTimeout(release, Number(ms));
  }
});
process.stdout.write('ready\\n');
`;

/** The write lock of a database, held by another process. */
export interface HeldLock {
  /** Resolves once the other process has let go of the lock. */
  released: Promise<void>;
  /** Lets go of the lock now. */
  release(): Promise<void>;
}

/** Another process with the database open, ready to take its write lock at once when asked. */
export interface LockHolder {
  /** Takes the write lock (`BEGIN IMMEDIATE`, or `EXCLUSIVE`) for up to `ms`; resolves once it holds it. */
  lock(ms: number, mode?: 'IMMEDIATE' | 'EXCLUSIVE'): Promise<HeldLock>;
  /** Lets go of the lock (if held) and ends the process. */
  release(): Promise<void>;
}

/** Starts a process that opens `file` and waits to be told to lock it. */
export function startLockHolder(file: string): Promise<LockHolder> {
  const child = spawn(process.execPath, ['-e', HOLDER, SQLITE, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  // The holder may exit on its own timer just as it is told to let go.
  child.stdin.on('error', () => {});
  const released = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const release = (): Promise<void> => {
    if (child.exitCode === null) child.stdin.write('release\n');
    return released;
  };
  const said = (word: string): Promise<void> =>
    new Promise((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes(word)) {
          child.stdout.off('data', onData);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      void released.then(() => reject(new Error(`the lock holder exited before saying "${word}"`)));
    });
  return said('ready').then(() => ({
    async lock(ms, mode = 'IMMEDIATE') {
      const locked = said('locked');
      child.stdin.write(`lock ${ms} ${mode}\n`);
      await locked;
      return { released, release };
    },
    release,
  }));
}

/** Starts a process that holds `file`'s write lock for up to `ms`; resolves once it holds it. */
export async function holdDatabaseLock(
  file: string,
  { ms, mode = 'IMMEDIATE' }: { ms: number; mode?: 'IMMEDIATE' | 'EXCLUSIVE' },
): Promise<HeldLock> {
  return (await startLockHolder(file)).lock(ms, mode);
}
