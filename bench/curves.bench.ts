/**
 * `pnpm bench curves`: how each cost grows with its work, measured and drawn as log–log SVG plots
 * in docs/plots/ (written by this bench only).
 *  - verify: time per event against payload size, 256 B to 1 MiB, for verify + JSON.parse,
 *    constructEvent, the crypto floor and standardwebhooks. Linear in size for all; our per-byte
 *    cost close to the floor's.
 *  - mock: the built mock server's drain rate and RSS as the subscribed webhooks grow (1 to 1,000)
 *    and as the backlog grows (1k to 1M deliveries). Per-delivery time must not grow; RSS stays
 *    bounded (deliveries wait in SQLite, not in memory).
 *  - replay: claim time and heap as processed ids grow to 1M. Claim time must not grow.
 * Exits 1 when a cost that must stay flat grows past its bound.
 *
 * Env: BENCH_CURVES=verify,mock,replay picks groups; BENCH_CURVES_QUICK=1 (or --quick) makes a short
 * smoke run whose plots go to a temporary folder; BENCH_CURVES_MAX_BACKLOG caps the backlog steps;
 * BENCH_CURVES_PLOTS sets the plot folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExternalStores } from './lib/external-replay-stores.js';
import { checkGrowth, type GrowthCheck, type GrowthVerdict } from './lib/growth-check.js';
import { type DrainPoint, measureDrain } from './lib/mock-server-curves.js';
import { stopAll } from './lib/mock-server-harness.js';
import { printTable } from './lib/print-table.js';
import {
  measureReplayCurve,
  memoryStoreUnderTest,
  type ReplayStoreUnderTest,
} from './lib/replay-store-curve.js';
import { measureVerifyCurve, VERIFY_CANDIDATES, VERIFY_SIZES } from './lib/verify-curve.js';
import { formatNumber, writeLinePlot } from './lib/write-line-plot.js';

const GROUPS = ['verify', 'mock', 'replay'] as const;
type Group = (typeof GROUPS)[number];

const quick = process.argv.includes('--quick') || process.env.BENCH_CURVES_QUICK === '1';
const requested = (process.env.BENCH_CURVES ?? GROUPS.join(','))
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = requested.filter((name) => !(GROUPS as readonly string[]).includes(name));
if (unknown.length > 0 || requested.length === 0) {
  console.error(
    `BENCH_CURVES: unknown group ${unknown.join(', ') || '(none given)'}; use a comma-separated list of ${GROUPS.join(', ')}.`,
  );
  process.exit(2);
}
const groups = new Set(requested as Group[]);
const FULL_BACKLOGS = [1_000, 10_000, 100_000, 1_000_000];
const maxBacklogSetting = process.env.BENCH_CURVES_MAX_BACKLOG;
// The 1M step takes over 3 minutes here (24 s to build, 176 s to drain on 2026-11-28), so it runs
// only on request.
const DEFAULT_MAX_BACKLOG = 100_000;
const maxBacklog = maxBacklogSetting === undefined ? DEFAULT_MAX_BACKLOG : Number(maxBacklogSetting);
if (!Number.isInteger(maxBacklog) || maxBacklog < 1_000) {
  console.error(`BENCH_CURVES_MAX_BACKLOG must be a whole number ≥ 1000; got "${maxBacklogSetting}".`);
  process.exit(2);
}
const plotDir =
  process.env.BENCH_CURVES_PLOTS ??
  (quick
    ? join(tmpdir(), 'caleida-curves-quick')
    : fileURLToPath(new URL('../docs/plots/', import.meta.url)));
const subtitle = `${quick ? 'QUICK smoke run, ' : ''}${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${cpus().length} cores (shared VM)`;
const verdicts: GrowthVerdict[] = [];
const plots: string[] = [];

const bytes = (n: number) =>
  n >= 1024 ** 2 ? `${n / 1024 ** 2} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} B`;
const fixed = (n: number, digits = 2) => n.toFixed(digits);
const whole = (n: number) => Math.round(n).toLocaleString('en-US');

function plot(name: string, spec: Parameters<typeof writeLinePlot>[1]): void {
  const path = join(plotDir, name);
  writeLinePlot(path, { subtitle, ...spec });
  plots.push(path);
}

function expect(check: GrowthCheck): void {
  verdicts.push(checkGrowth(check));
}

async function verifyCurve(): Promise<void> {
  console.log('\n### verify: time per event against payload size\n');
  const points = measureVerifyCurve(VERIFY_SIZES, { quick });
  printTable([
    [
      'size',
      ...VERIFY_CANDIDATES.map((name) => `${name} µs`),
      'verify + parse / floor',
      'constructEvent / floor',
      'page faults (floor / verify / constructEvent)',
    ],
    ...points.map((point) => [
      bytes(point.size),
      ...VERIFY_CANDIDATES.map((name) => fixed(point.micros.get(name) ?? Number.NaN, 1)),
      `${fixed(point.toFloor.get('verify + parse') ?? Number.NaN)}x`,
      `${fixed(point.toFloor.get('constructEvent') ?? Number.NaN)}x`,
      ['crypto floor', 'verify + parse', 'constructEvent']
        .map((name) => fixed(point.pageFaults.get(name) ?? Number.NaN, 0))
        .join(' / '),
    ]),
  ]);
  console.log(
    'Expected: linear in size for all (a slope of 1 on the log–log plot once fixed costs fade, past ~16 KiB); our per-byte cost close to the floor’s.',
  );
  plot('verify-time-per-event.svg', {
    title: 'Time per event against payload size',
    xLabel: 'payload size',
    yLabel: 'µs per event',
    xTicks: points.map((point) => point.size),
    formatX: bytes,
    series: VERIFY_CANDIDATES.map((name) => ({
      name,
      points: points.map((point) => [point.size, point.micros.get(name) ?? 0] as const),
    })),
  });
  const first = points.findIndex((point) => point.size >= 65536);
  const last = points.length - 1;
  const perByte = (i: number, name: string) =>
    (points[i]?.micros.get(name) ?? Number.NaN) / (points[i]?.size ?? 1);
  const floorGrowth = perByte(last, 'crypto floor') / perByte(first, 'crypto floor');
  console.log(
    `The crypto floor's own per-byte cost grows ${fixed(floorGrowth, 1)}x from ${bytes(points[first]?.size ?? 0)} to ${bytes(points[last]?.size ?? 0)} on this machine, with ${points.map((p) => fixed(p.pageFaults.get('crypto floor') ?? Number.NaN, 0)).join(' / ')} page faults per event: V8 puts strings over 128 KiB in fresh pages of their own, and the first touch of a page is slow on some VMs. Not ours to fix, so only ratios to the floor are checked.`,
  );
  const at64k = points[first];
  const atLargest = points[last];
  for (const name of ['verify + parse', 'constructEvent']) {
    // Time against the floor at 64 KiB, where both are almost all HMAC and JSON.parse over the same
    // bytes and no page faults blur the timing: noise moves the ratio by ±0.1, a second pass over
    // the body (a copy, a decode) would add 0.3x or more.
    expect({
      figure: `verify: ${name} / crypto floor, time at ${bytes(at64k?.size ?? 0)} (median of round ratios)`,
      smallest: 1,
      largest: at64k?.toFloor.get(name) ?? Number.NaN,
      bound: 1.25,
    });
    // Past 128 KiB the time is mostly page faults, which vary from run to run, but their count does
    // not: the floor's strings take about two faults per 4 KiB page of body; one more copy of the
    // body would add half as many again (1.5x).
    expect({
      figure: `verify: ${name} / crypto floor, page faults at ${bytes(atLargest?.size ?? 0)}`,
      smallest: atLargest?.pageFaults.get('crypto floor') ?? Number.NaN,
      largest: atLargest?.pageFaults.get(name) ?? Number.NaN,
      bound: 1.25,
    });
  }
}

function drainRows(points: DrainPoint[]): (string | number)[][] {
  return [
    [
      'webhooks',
      'deliveries',
      'build s',
      'drain s',
      'deliveries/s',
      'µs/delivery',
      'RSS built MiB',
      'RSS peak MiB',
    ],
    ...points.map((p) => [
      whole(p.webhooks),
      whole(p.deliveries),
      fixed(p.buildSeconds, 1),
      fixed(p.drainSeconds, 1),
      whole(p.rate),
      fixed(1e6 / p.rate, 0),
      fixed(p.builtRssMiB, 0),
      fixed(p.peakRssMiB, 0),
    ]),
  ];
}

async function mockCurves(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'caleida-curves-'));
  try {
    console.log('\n### mock server: drain rate and RSS as subscribed webhooks grow\n');
    const perStep = quick ? 2_000 : 20_000;
    const byWebhooks: DrainPoint[] = [];
    for (const webhooks of [1, 10, 100, 1_000])
      byWebhooks.push(await measureDrain(dir, { webhooks, deliveries: perStep }));
    printTable(drainRows(byWebhooks));
    console.log(
      `Expected: ${whole(perStep)} deliveries drained at the same rate whatever the number of webhooks (same in-flight limit, 16); RSS about level.`,
    );
    plot('mock-server-webhooks.svg', {
      title: `Mock server: draining ${formatNumber(perStep)} deliveries over N webhooks`,
      xLabel: 'subscribed webhooks',
      yLabel: 'value',
      series: [
        { name: 'deliveries/s', points: byWebhooks.map((p) => [p.webhooks, p.rate] as const) },
        { name: 'peak RSS (MiB)', points: byWebhooks.map((p) => [p.webhooks, p.peakRssMiB] as const) },
      ],
    });
    // Per-delivery time: a scan over the webhooks per attempt would make it ~1000x over these three
    // decades. Observed 1.2–1.7x (more rows per claim window to skip, noise of ±30 % between runs);
    // 3x leaves room for that noise and still catches anything growing with the webhooks.
    const firstHook = byWebhooks[0] as DrainPoint;
    const lastHook = byWebhooks.at(-1) as DrainPoint;
    expect({
      figure: `mock: µs per delivery, ${whole(lastHook.webhooks)} webhooks vs ${firstHook.webhooks}`,
      smallest: 1 / firstHook.rate,
      largest: 1 / lastHook.rate,
      bound: 3,
    });

    console.log('\n### mock server: drain rate and RSS as the backlog grows\n');
    const webhooks = 100;
    const backlogs = (quick ? [1_000, 10_000] : FULL_BACKLOGS).filter((n) => n <= maxBacklog);
    const skipped = FULL_BACKLOGS.filter((n) => n > maxBacklog);
    const byBacklog: DrainPoint[] = [];
    for (const deliveries of backlogs) byBacklog.push(await measureDrain(dir, { webhooks, deliveries }));
    printTable(drainRows(byBacklog));
    if (!quick && skipped.length > 0) {
      console.log(
        `Capped at ${whole(maxBacklog)} (BENCH_CURVES_MAX_BACKLOG${maxBacklogSetting === undefined ? ' unset' : `=${maxBacklogSetting}`}): ${skipped.map(whole).join(', ')} not run. The 1,000,000 step takes over 3 minutes on a 2-core VM (24 s to build, 176 s to drain on 2026-11-28); set BENCH_CURVES_MAX_BACKLOG=1000000 to run it.`,
      );
    }
    const total = byBacklog.at(-1) as DrainPoint;
    console.log(
      `Largest step: ${whole(total.deliveries)} deliveries built in ${fixed(total.buildSeconds, 0)} s and drained in ${fixed(total.drainSeconds, 0)} s.`,
    );
    console.log(
      `Expected: per-delivery time (1 / drain rate) level as the backlog grows; RSS bounded, not growing with the backlog (deliveries wait in SQLite; at most 20,000 are held in memory). ${webhooks} webhooks.`,
    );
    plot('mock-server-backlog.svg', {
      title: 'Mock server: draining a backlog built while the receiver was down',
      xLabel: 'pending deliveries',
      yLabel: 'value',
      series: [
        { name: 'deliveries/s', points: byBacklog.map((p) => [p.deliveries, p.rate] as const) },
        { name: 'drain time (s)', points: byBacklog.map((p) => [p.deliveries, p.drainSeconds] as const) },
        { name: 'peak RSS (MiB)', points: byBacklog.map((p) => [p.deliveries, p.peakRssMiB] as const) },
      ],
    });
    // The 1k step drains in a fraction of a second, too short to time well: the per-delivery
    // comparison starts at 10k. A claim that scanned the backlog would grow it 100x from 10k to 1M
    // (10x at 100k), a square root 10x. Observed up to 1.7x at 1M: a deeper SQLite index and a file
    // past the page cache (logarithmic), plus ±30 % noise; 3x keeps the noise out.
    const base = byBacklog.find((p) => p.deliveries >= 10_000) ?? (byBacklog[0] as DrainPoint);
    // Steps run one after another, so load from elsewhere can land on one step only: the base step
    // runs again after the largest, and the slower of its two runs is the reference.
    let baseRate = base.rate;
    if (base !== total) {
      const again = await measureDrain(dir, { webhooks, deliveries: base.deliveries });
      console.log(
        `${whole(base.deliveries)} again after the largest step: ${whole(again.rate)} deliveries/s (first run ${whole(base.rate)}).`,
      );
      baseRate = Math.min(base.rate, again.rate);
    }
    expect({
      figure: `mock: µs per delivery, backlog ${whole(total.deliveries)} vs ${whole(base.deliveries)}`,
      smallest: 1 / baseRate,
      largest: 1 / total.rate,
      bound: 3,
    });
    // RSS rises from ~120 MiB at 1k to a plateau (~220 MiB from 100k on) once 20,000 deliveries are
    // held in memory and the caches are full: 1.8x. Holding every pending delivery (a few hundred
    // bytes each) would add ~300 MiB at 1M: 3.4x or more. 2.5x lies between.
    const small = byBacklog[0] as DrainPoint;
    expect({
      figure: `mock: peak RSS, backlog ${whole(total.deliveries)} vs ${whole(small.deliveries)}`,
      smallest: small.peakRssMiB,
      largest: total.peakRssMiB,
      bound: 2.5,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function replayCurve(): Promise<void> {
  console.log('\n### replay store: claim time and heap as processed ids grow\n');
  const steps = quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000];
  const largest = steps.at(-1) as number;
  // Redis and PostgreSQL answer over loopback in tens to hundreds of µs a claim: 100k ids (10k in
  // a quick run) show their curve in about a minute; the in-process store goes to 1M.
  const externalSteps = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const stores: Store[] = [
    { name: 'MemoryReplayStore', make: async () => memoryStoreUnderTest(largest), steps, inProcess: true },
  ];
  let stopServers = async () => {};
  try {
    const external = await startExternalStores();
    stopServers = external.stop;
    for (const store of external.stores) {
      stores.push({ name: store.name, make: () => store.open(), steps: externalSteps, inProcess: false });
    }
  } catch (error) {
    console.log(
      `Redis and PostgreSQL stores skipped: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    await drawReplayStores(stores);
  } finally {
    await stopServers();
  }
}

interface Store {
  name: string;
  make: () => Promise<ReplayStoreUnderTest>;
  steps: number[];
  /** Whether the heap of this process holds the ids (so heap figures mean something). */
  inProcess: boolean;
}

async function drawReplayStores(stores: Store[]): Promise<void> {
  const series: { name: string; points: (readonly [number, number])[] }[] = [];
  for (const { name, make, steps, inProcess } of stores) {
    const points = await measureReplayCurve(
      make,
      steps,
      inProcess ? {} : { batch: 500, rounds: 7, warmupIds: 2_000, fillConcurrency: 32 },
    );
    printTable([
      [
        'store',
        'ids',
        'claim + complete µs (filling)',
        'claim + release µs',
        'known-id claim µs',
        'heap MiB',
        'heap bytes/id',
      ],
      ...points.map((p) => [
        name,
        whole(p.ids),
        inProcess ? fixed(p.fillMicros) : '-',
        fixed(p.claimMicros),
        fixed(p.knownMicros),
        inProcess ? fixed(p.heapMiB, 1) : '-',
        inProcess ? whole((p.heapMiB * 2 ** 20) / p.ids) : '-',
      ]),
    ]);
    series.push(
      {
        name: `${name}: claim + release (µs)`,
        points: points.map((p) => [p.ids, p.claimMicros] as const),
      },
      {
        name: `${name}: known-id claim (µs)`,
        points: points.map((p) => [p.ids, p.knownMicros] as const),
      },
    );
    if (inProcess) {
      series.push({
        name: `${name}: claim + complete, filling (µs)`,
        points: points.map((p) => [p.ids, p.fillMicros] as const),
      });
      series.push({ name: `${name}: heap (MiB)`, points: points.map((p) => [p.ids, p.heapMiB] as const) });
    }
    const first = points[0];
    const last = points.at(-1);
    // 1k ids sit in the CPU caches, 1M (~245 MiB of heap) do not: there every lookup pays a few
    // memory misses, observed up to 3.7x per known-id claim. A scan of the ids would cost ~1000x,
    // even a square root ~30x; 6x keeps the cache effect and noise out.
    for (const [label, pick] of [
      ['claim + release', (p: typeof first) => p?.claimToFirst ?? Number.NaN],
      ['known-id claim', (p: typeof first) => p?.knownToFirst ?? Number.NaN],
    ] as const) {
      expect({
        figure: `replay: ${name} ${label} time, ${whole(last?.ids ?? 0)} ids vs ${whole(first?.ids ?? 0)} (median of round ratios)`,
        smallest: 1,
        largest: pick(last),
        bound: 6,
      });
    }
  }
  console.log('Expected: claim time level as ids grow; heap linear in the ids held (a slope of 1).');
  plot('replay-store.svg', {
    title: 'Replay store: claim time and heap against processed ids',
    xLabel: 'processed ids held',
    yLabel: 'value',
    series,
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAll();
    process.exit(130);
  });
}
let crashed = false;
try {
  if (groups.has('verify')) await verifyCurve();
  if (groups.has('mock')) await mockCurves();
  if (groups.has('replay')) await replayCurve();
} catch (error) {
  crashed = true;
  console.error(`\ncurves: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  stopAll();
}

console.log('\n### costs that must not grow\n');
printTable([
  ['figure', 'smallest', 'largest', 'ratio', 'bound', 'verdict'],
  ...verdicts.map((v) => [
    v.figure,
    v.smallest.toPrecision(3),
    v.largest.toPrecision(3),
    `${fixed(v.ratio)}x`,
    `≤ ${v.bound}x`,
    v.held ? 'held' : 'GREW',
  ]),
]);
console.log('\nPlots:');
for (const path of plots) console.log(`  ${path}`);
const grew = verdicts.filter((v) => !v.held);
if (crashed) process.exit(1);
if (grew.length > 0) {
  console.log(`\n${grew.length} cost(s) grew past their bound: ${grew.map((v) => v.figure).join('; ')}.`);
  process.exit(1);
}
