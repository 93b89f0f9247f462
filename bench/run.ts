/**
 * `pnpm bench [name...]`: runs the benchmarks in this folder (every `*.bench.ts`), or only the named
 * ones (`pnpm bench verify adapters`). Each prints its figures as ratios against a baseline measured
 * in the same run, so a shared, noisy machine still gives comparable numbers. `pnpm bench` builds first.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.slice(0, -'.bench.ts'.length))
  .sort();
const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
// Flags (e.g. --quick) go to every benchmark run.
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('-'));
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Available: ${available.join(', ')}.`);
  process.exit(2);
}
let failed = false;
for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n## ${name}\n`);
  const result = spawnSync(
    process.execPath,
    // No @caleida/source condition: benchmarks measure the built packages (dist/), as users run them.
    ['--import', 'tsx', '--expose-gc', join(here, `${name}.bench.ts`), ...flags],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
