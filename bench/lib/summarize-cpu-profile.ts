/**
 * Sums the self time of a V8 `.cpuprofile` (from `node --cpu-prof`) by function and file, and
 * returns the top entries with their share of all samples: where a process spends its CPU.
 * Run on its own: `node --import tsx bench/lib/summarize-cpu-profile.ts <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** One function's self time. */
export interface SelfTime {
  name: string;
  /** The file, shortened to what follows node_modules/ or the repository's packages/ folder. */
  file: string;
  ms: number;
  share: number;
}

/**
 * Reads `path` and returns its `top` functions by self time, largest first.
 *
 * @example
 * for (const line of summarizeCpuProfile('server.cpuprofile', 15)) console.log(line.name, line.ms);
 */
export function summarizeCpuProfile(path: string, top = 15): SelfTime[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, { name: string; file: string; us: number }>();
  let all = 0;
  // Each sample's delta is the time since the previous one; charge it to the sampled function.
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byNode.get(profile.samples[i] as number);
    const us = profile.timeDeltas[i] ?? 0;
    if (!node) continue;
    all += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = shorten(url);
    const name = functionName || (file ? `(anonymous):${lineNumber + 1}` : '(program)');
    const key = `${name}\u0000${file}`;
    const entry = totals.get(key) ?? { name, file, us: 0 };
    entry.us += us;
    totals.set(key, entry);
  }
  return [...totals.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map(({ name, file, us }) => ({ name, file, ms: us / 1000, share: all === 0 ? 0 : us / all }));
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0)
    return path.slice(modules + 'node_modules/'.length).replace(/^\.pnpm\/[^/]+\/node_modules\//, '');
  const packages = path.indexOf('/packages/');
  return packages >= 0 ? path.slice(packages + 1) : path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, top] = process.argv.slice(2);
  if (!path) {
    console.error('usage: summarize-cpu-profile.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.table(
    summarizeCpuProfile(path, Number(top ?? 15)).map(({ name, file, ms, share }) => ({
      function: name,
      file,
      'self ms': ms.toFixed(0),
      share: `${(share * 100).toFixed(1)}%`,
    })),
  );
}
