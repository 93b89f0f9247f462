import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

// Debian installs each major version under /usr/lib/postgresql/<version>/bin; take the newest.
const BIN =
  process.env.POSTGRES_BIN ??
  (existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((version) => /^\d+$/.test(version))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)[0]
    : undefined) ??
  '/usr/lib/postgresql/15/bin';
const INSTALL_HINT =
  'Install it with: apt-get install -y postgresql (or set POSTGRES_BIN to the folder of initdb and pg_ctl).';

/** A real PostgreSQL cluster in a temporary folder, on 127.0.0.1 only. */
export interface PostgresServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Runs initdb and pg_ctl into a temporary folder on a free port. PostgreSQL refuses to run as
 * root, so as root both run as the `postgres` user, which then owns the folder.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  for (const tool of ['initdb', 'pg_ctl']) {
    if (!existsSync(join(BIN, tool)))
      throw new Error(`PostgreSQL's ${tool} is not in ${BIN}. ${INSTALL_HINT}`);
  }
  const root = mkdtempSync(join(tmpdir(), 'caleida-postgres-'));
  const data = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(root, uid, gid);
  }
  chmodSync(root, 0o755);
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(BIN, tool);
    const fullArgs = asRoot ? ['-u', 'postgres', '--', join(BIN, tool), ...args] : args;
    try {
      execFileSync(command, fullArgs, { stdio: 'pipe', timeout: 30_000 });
    } catch (error) {
      const output = `${(error as { stderr?: Buffer }).stderr ?? ''}`.trim();
      throw new Error(`${tool} failed: ${output || (error as Error).message}\n${INSTALL_HINT}`);
    }
  };
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const log = join(root, 'postgres.log');
  try {
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      log,
      '-w',
      '-o',
      `-p ${port} -h 127.0.0.1 -k ${root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      'start',
    ]);
  } catch (error) {
    const detail = existsSync(log) ? readFileSync(log, 'utf8') : '';
    throw new Error(`${(error as Error).message}\n${detail}`);
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}
