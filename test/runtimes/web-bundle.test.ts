import { builtinModules } from 'node:module';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const WEB_CONDITIONS = ['workerd', 'worker', 'browser'];
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * Bundles `source` for a worker (no Node platform), recording every import of a Node builtin
 * (`node:*` or a bare builtin name) instead of failing on the first, so the test can list them all.
 */
async function bundleForWorker(
  source: string,
  conditions: string[],
): Promise<{ nodeImports: string[]; code: string }> {
  const nodeImports: string[] = [];
  const recordNodeImports: Plugin = {
    name: 'record-node-imports',
    setup(bundle) {
      bundle.onResolve({ filter: /.*/ }, ({ path, importer }) => {
        if (!(path.startsWith('node:') || NODE_BUILTINS.has(path))) return undefined;
        nodeImports.push(`${path} (from ${importer.replace(/.*\/packages\//, 'packages/')})`);
        return { path, external: true };
      });
    },
  };
  const result = await build({
    stdin: { contents: source, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['@caleida/source', ...conditions],
    plugins: [recordNodeImports],
    logLevel: 'silent',
  });
  return { nodeImports, code: result.outputFiles[0]?.text ?? '' };
}

describe('the Web build of @caleida/verify, bundled for a worker', () => {
  it.each([
    ['@caleida/verify/web', "export * from '@caleida/verify/web';"],
    ['@caleida/verify under the workerd/worker/browser conditions', "export * from '@caleida/verify';"],
  ])('%s imports no node: module or Node builtin and uses no Buffer or process', async (_label, source) => {
    const { nodeImports, code } = await bundleForWorker(source, WEB_CONDITIONS);
    expect(nodeImports).toEqual([]);
    expect(code).not.toMatch(/\bBuffer\b/);
    expect(code).not.toMatch(/\bprocess\./);
    expect(code).toMatch(/verifyAsync/);
  });

  it('the check catches the Node build: without those conditions node:crypto is found', async () => {
    const { nodeImports } = await bundleForWorker("export * from '@caleida/verify';", []);
    expect(nodeImports.some((each) => each.startsWith('node:crypto'))).toBe(true);
  });
});
