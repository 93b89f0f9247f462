import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const bin = (name: string) => join(root, 'test/node_modules/.bin', name);
const packageDirs = readdirSync(join(root, 'packages')).map((dir) => join(root, 'packages', dir));
const packages = packageDirs.map((dir) => ({
  dir,
  name: (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name,
}));

/**
 * attw rules this suite ignores, each with its reason. Every package is ESM only, so from a
 * CommonJS file under `module: node16` attw reports an ES module (`cjs-resolves-to-esm`). Node
 * 20.19, the floor of our `engines`, loads an ES module with `require()` unflagged (our modules have
 * no top-level await), and TypeScript accepts that import under `module: node20`/`nodenext`
 * (TypeScript 5.8+); NestJS 12 itself ships ESM only and relies on the same. The CommonJS test below
 * runs exactly that path. A second, CommonJS build would double every package for no consumer.
 */
const ATTW_IGNORED_RULES: Record<string, string> = {
  'cjs-resolves-to-esm': 'ESM only on purpose: require(esm) is unflagged from Node 20.19, our engines floor',
};

const workDir = mkdtempSync(join(tmpdir(), 'caleida-packages-'));
const tarballs = new Map<string, string>();

beforeAll(() => {
  execFileSync('npx', ['tsc', '-b', ...packageDirs.map((dir) => join(dir, 'tsconfig.build.json'))], {
    cwd: root,
    stdio: 'pipe',
  });
  for (const { dir, name } of packages) {
    const destination = join(workDir, 'tarballs', name.replace('/', '+'));
    mkdirSync(destination, { recursive: true });
    execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', destination], {
      cwd: dir,
      stdio: 'pipe',
    });
    const [tarball] = readdirSync(destination);
    tarballs.set(name, join(destination, tarball as string));
  }
}, 120_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe.each(packages)('$name, packed with pnpm pack', ({ name }) => {
  it('resolves with types under node10, node16 (CJS and ESM) and bundler: attw reports no problem', () => {
    const run = spawnSync(
      bin('attw'),
      [
        tarballs.get(name) as string,
        '--format',
        'json',
        '--ignore-rules',
        ...Object.keys(ATTW_IGNORED_RULES),
      ],
      { encoding: 'utf8' },
    );
    const report = JSON.parse(run.stdout) as {
      analysis: {
        entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }>;
      };
      problems: Record<string, { kind: string; entrypoint: string; resolutionKind: string }[]>;
    };
    const ignoredKinds = new Set(['CJSResolvesToESM']);
    const problems = Object.values(report.problems ?? {})
      .flat()
      .filter((problem) => !ignoredKinds.has(problem.kind));
    expect(problems).toEqual([]);
    expect(run.status).toBe(0);
    const rootEntry = report.analysis.entrypoints['.'];
    expect(Object.keys(rootEntry?.resolutions ?? {}).sort()).toEqual([
      'bundler',
      'node10',
      'node16-cjs',
      'node16-esm',
    ]);
    for (const resolution of Object.values(rootEntry?.resolutions ?? {})) {
      expect(resolution.resolution?.fileName).toMatch(/\/dist\/index\.(d\.ts|js)$/);
    }
  });

  it('passes publint --strict', () => {
    const run = spawnSync(bin('publint'), [tarballs.get(name) as string, '--strict'], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toContain('All good!');
    expect(run.status).toBe(0);
  });
});

describe('a CommonJS TypeScript project with moduleResolution node, as NestJS projects are by default', () => {
  const consumer = join(workDir, 'commonjs-consumer');
  const installed = [
    '@caleida/verify',
    '@caleida/express-middleware',
    '@caleida/koa-middleware',
    '@caleida/fastify-plugin',
    '@caleida/nestjs',
  ];

  it('installs the tarballs, compiles against their types and require()s them', () => {
    mkdirSync(join(consumer, 'src'), { recursive: true });
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'commonjs',
          moduleResolution: 'node',
          target: 'ES2023',
          lib: ['ES2023', 'DOM'],
          types: [],
          strict: true,
          experimentalDecorators: true,
          skipLibCheck: true,
          outDir: 'dist',
        },
        include: ['src'],
      }),
    );
    writeFileSync(
      join(consumer, 'src/main.ts'),
      `import 'reflect-metadata';
import { createReceiver, sign, type ReceivedEvent } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import { caleidaWebhook as expressWebhook } from '@caleida/express-middleware';
import { caleidaWebhook as koaWebhook } from '@caleida/koa-middleware';
import { caleidaWebhook as fastifyWebhook } from '@caleida/fastify-plugin';
import { CaleidaWebhookModule } from '@caleida/nestjs';
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const event: ReceivedEvent['type'] = buildEvent('chat').type;
console.log(JSON.stringify({
  signature: sign({ secret, id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, payload: '{"test": 2432232314}' }),
  event,
  receiver: typeof createReceiver({ secret }).handle,
  adapters: [typeof expressWebhook, typeof koaWebhook, typeof fastifyWebhook],
  nest: typeof CaleidaWebhookModule.forRoot({ secret }).module,
}));
`,
    );
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--legacy-peer-deps',
        '--prefer-offline',
        ...installed.map((name) => tarballs.get(name) as string),
        '@nestjs/common@^12.0.0',
        '@nestjs/core@^12.0.0',
        'reflect-metadata@^0.2.0',
        'rxjs@^7.1.0',
      ],
      { cwd: consumer, stdio: 'pipe' },
    );
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', consumer], { stdio: 'pipe' });
    const compiled = readFileSync(join(consumer, 'dist/main.js'), 'utf8');
    expect(compiled).toContain('require("@caleida/nestjs")');
    const output = execFileSync(process.execPath, ['dist/main.js'], { cwd: consumer, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({
      signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      event: 'chat',
      receiver: 'function',
      adapters: ['function', 'function', 'function'],
      nest: 'function',
    });
  }, 60_000);
});
