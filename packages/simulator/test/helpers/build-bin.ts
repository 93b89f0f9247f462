import { execFileSync } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The built CLI the tests run as a child process. `CALEIDA_SIM_BIN` points the tests at another
 * build (e.g. an older commit's, to see a new test fail there); it is then not rebuilt.
 */
export const BIN = process.env.CALEIDA_SIM_BIN || join(packageDir, 'dist', 'bin.js');

/**
 * Builds the package (incrementally) before the CLI tests. Test files run in parallel, so a
 * directory lock keeps two `tsc -b` runs from writing dist/ at once.
 */
export async function buildBin(): Promise<void> {
  if (process.env.CALEIDA_SIM_BIN) return;
  const lock = join(tmpdir(), 'caleida-simulator-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting for ${lock}; remove it if no build is running.`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    const tsc = join(packageDir, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-b', join(packageDir, 'tsconfig.build.json')], { stdio: 'pipe' });
  } finally {
    rmdirSync(lock);
  }
}
