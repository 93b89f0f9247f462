import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

function packageFolder(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** The folder that holds the recipes, inside the examples package so they resolve its dependencies. */
export const recipesFolder = fileURLToPath(new URL('../../examples/recipes/', import.meta.url));

/** How a nested test run ended. */
export interface RecipeRun {
  code: number;
  output: string;
}

/** The command line that runs each recipe's tests, as its README section says. */
const runners = {
  vitest: (folder: string) => [join(packageFolder('vitest'), 'vitest.mjs'), 'run', '--root', folder],
  jest: () => ['--experimental-vm-modules', require.resolve('jest/bin/jest'), '--ci'],
};

/**
 * Runs one recipe's tests in a nested test runner, in its folder, with an environment free of this
 * run's Vitest variables, and resolves with the exit code and everything it printed.
 */
export function runRecipe(runner: keyof typeof runners, folder: string): Promise<RecipeRun> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(VITEST|__VITEST|NODE_OPTIONS$|NODE_ENV$)/.test(name)),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      runners[runner](folder),
      { cwd: folder, env: { ...env, CI: 'true', NO_COLOR: '1' }, timeout: 25_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/**
 * Copies a recipe next to the original (so it resolves the same packages) with `change` applied to
 * one file, runs `use` on the copy and removes it.
 */
export async function withBrokenCopy<T>(
  recipe: 'vitest' | 'jest',
  change: { file: string; replace: string; with: string },
  use: (folder: string) => Promise<T>,
): Promise<T> {
  const folder = mkdtempSync(join(recipesFolder, `tmp-broken-${recipe}-`));
  try {
    cpSync(join(recipesFolder, recipe), folder, {
      recursive: true,
      filter: (source) => !source.includes('node_modules'),
    });
    const path = join(folder, change.file);
    const source = readFileSync(path, 'utf8');
    if (!source.includes(change.replace))
      throw new Error(`${change.file} no longer contains ${change.replace}`);
    writeFileSync(path, source.replace(change.replace, change.with));
    return await use(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
