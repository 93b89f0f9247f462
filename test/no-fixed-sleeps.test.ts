import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Timers that are allowed to wait, each by file and by the name of the function that holds it, with
 * the reason. Everything else waits for a condition (an event, a promise, `vi.waitFor`, the mock
 * server's `waitFor`), never for a fixed time.
 */
const ALLOWED: { file: string; name: string; why: string }[] = [
  {
    file: 'packages/mock-server/test/delivery-engine.test.ts',
    name: 'answerAfter',
    why: 'a receiver that answers slowly on purpose, so sending slots stay busy',
  },
  {
    file: 'packages/mock-server/test/helpers.ts',
    name: 'eventually',
    why: 'polls a condition; the timer is the pause between two checks',
  },
  {
    file: 'test/replay-stores/replay-store-contract.ts',
    name: 'letTimePass',
    why: 'the behaviour under test is a lease lapsing in the store’s own clock, which nothing signals',
  },
  {
    file: 'test/replay-stores/support/redis-server.ts',
    name: 'waitForPing',
    why: 'polls redis-server until it answers; it offers nothing to wait on before it listens',
  },
  {
    file: 'packages/simulator/test/helpers/build-bin.ts',
    name: 'buildBin',
    why: 'polls a directory lock held by another test file’s build',
  },
];

/** Names that only ever mean "wait this long". */
const SLEEP_NAMES = new Set(['sleep', 'delay', 'pause', 'wait', 'waitMs']);

/** One fixed wait found in a source file. */
interface FixedSleep {
  file: string;
  line: number;
  text: string;
}

/**
 * The fixed waits in one file's source: a promise resolved by a timer
 * (`new Promise((r) => setTimeout(r, ms))`, `setTimeout(() => resolve(x), ms)`), a call to
 * `sleep()`-like helpers, and `setTimeout` from `node:timers/promises`, unless the function that
 * holds it is on the allow-list for that file.
 */
function findFixedSleeps(file: string, source: string, allowed = ALLOWED): FixedSleep[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const allowedNames = new Set(allowed.filter((entry) => entry.file === file).map((entry) => entry.name));
  const sleepNames = new Set(SLEEP_NAMES);
  for (const statement of sourceFile.statements) {
    if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      /^(node:)?timers\/promises$/.test(statement.moduleSpecifier.text)
    ) {
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements) sleepNames.add(element.name.text);
    }
  }
  const found: FixedSleep[] = [];
  const report = (node: ts.Node): void => {
    if (enclosingNames(node).some((name) => allowedNames.has(name))) return;
    const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart());
    found.push({ file, line: line + 1, text: node.getText().split('\n')[0] ?? '' });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && isIdentifier(node.expression, 'Promise') && resolvedByTimer(node)) {
      report(node);
      return;
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && sleepNames.has(node.expression.text))
      report(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function isIdentifier(node: ts.Node | undefined, name: string): boolean {
  return node !== undefined && ts.isIdentifier(node) && node.text === name;
}

/**
 * True for `new Promise((resolve) => ...)` that only a timer resolves; a promise that something
 * else can resolve too (a socket closing, with a timer as the give-up) waits for that something.
 */
function resolvedByTimer(promise: ts.NewExpression): boolean {
  const executor = promise.arguments?.[0];
  if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return false;
  const resolve = executor.parameters[0]?.name;
  if (!resolve || !ts.isIdentifier(resolve)) return false;
  let inTimers = 0;
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      (isIdentifier(node.expression, 'setTimeout') || isIdentifier(node.expression, 'setInterval'))
    ) {
      inTimers += countMentions(node, resolve.text);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(executor.body);
  return inTimers > 0 && inTimers === countMentions(executor.body, resolve.text);
}

function countMentions(node: ts.Node, name: string): number {
  let count = isIdentifier(node, name) ? 1 : 0;
  ts.forEachChild(node, (child) => {
    count += countMentions(child, name);
  });
  return count;
}

/** The names of the functions around `node`, innermost first. */
function enclosingNames(node: ts.Node): string[] {
  const names: string[] = [];
  for (let current = node.parent; current; current = current.parent) {
    if (
      (ts.isFunctionDeclaration(current) ||
        ts.isFunctionExpression(current) ||
        ts.isMethodDeclaration(current)) &&
      current.name &&
      ts.isIdentifier(current.name)
    )
      names.push(current.name.text);
    if (
      (ts.isVariableDeclaration(current) || ts.isPropertyAssignment(current)) &&
      current.initializer &&
      (ts.isArrowFunction(current.initializer) || ts.isFunctionExpression(current.initializer)) &&
      ts.isIdentifier(current.name)
    )
      names.push(current.name.text);
  }
  return names;
}

/** Every test source file: the repository's tests, the packages' and the examples'. */
function testFiles(): string[] {
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (['node_modules', 'dist', '.next'].includes(entry.name)) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
        files.push(relative(root, path));
    }
  };
  const folders = [
    join(root, 'test'),
    join(root, 'examples', 'recipes'),
    ...['packages', 'examples'].flatMap((parent) =>
      readdirSync(join(root, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(root, parent, entry.name, 'test')),
    ),
  ];
  for (const folder of folders) {
    try {
      walk(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return files;
}

describe('no test waits a fixed time', () => {
  it('finds no bare sleep in any test file: each wait is for a condition or an allowed, named timer', () => {
    const files = testFiles();
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) => findFixedSleeps(file, readFileSync(join(root, file), 'utf8')));
    expect(found.map(({ file, line, text }) => `${file}:${line}: ${text}`)).toEqual([]);
  });

  it('every allow-list entry still names a function that exists in its file', () => {
    for (const { file, name } of ALLOWED) {
      const source = readFileSync(join(root, file), 'utf8');
      expect(source, `${file} has no ${name}`).toMatch(new RegExp(`\\b(function|const|let)\\s+${name}\\b`));
    }
  });

  it.each([
    ['await new Promise((resolve) => setTimeout(resolve, 500));'],
    ['await new Promise((r) => { setTimeout(r, 10); });'],
    ['const answer = await new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 30));'],
    ['await sleep(50);'],
    ["import { setTimeout as later } from 'node:timers/promises';\nawait later(100);"],
    ['function slowly() { return new Promise((resolve) => setTimeout(resolve, 5)); }'],
  ])('reports a fixed wait: %s', (source) => {
    expect(findFixedSleeps('x.test.ts', source)).toHaveLength(1);
  });

  it.each([
    ['const timer = setTimeout(() => reject(new Error("did not start in 20 s")), 20_000);'],
    ['const poll = () => (done() ? resolve() : setTimeout(poll, 5));'],
    ['await new Promise((resolve) => child.once("exit", resolve));'],
    ['const answerAfter = (ms) => new Promise((resolve) => setTimeout(resolve, ms));'],
    [
      'new Promise((resolve) => { socket.on("close", resolve); setTimeout(() => resolve("still open"), 9_000); });',
    ],
  ])('lets through what waits for a condition, gives up, or is allowed by name: %s', (source) => {
    const allowed = [{ file: 'x.test.ts', name: 'answerAfter', why: 'on purpose' }];
    expect(findFixedSleeps('x.test.ts', source, allowed)).toEqual([]);
  });
});
