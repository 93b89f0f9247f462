import type { Candidate } from './measure-ops.js';

/** Microseconds per call of each candidate in each interleaved round. */
export type RoundSamples = Map<string, number[]>;

/**
 * Like `measureOps()`, in interleaved rounds so a noisy neighbour slows every candidate alike, but
 * warmed up and batched by time rather than by count, so one call may take from a microsecond (a
 * 256 B body) to several milliseconds (1 MiB) without the warm-up taking minutes. Returns every
 * round's figure, so that ratios can be taken round by round (see `medianRatio()`).
 */
export function measureTimePerOp(
  candidates: Candidate[],
  { rounds = 7, roundMs = 250, warmupMs = 200 } = {},
): RoundSamples {
  for (const candidate of candidates) runFor(candidate, warmupMs);
  const samples = new Map<string, number[]>(candidates.map((candidate) => [candidate.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const candidate of candidates) samples.get(candidate.name)?.push(runFor(candidate, roundMs));
  }
  return samples;
}

/** Calls the candidate for about `ms` (at least 3 times); returns µs per call. */
function runFor(candidate: Candidate, ms: number): number {
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(ms * 1e6));
  let calls = 0;
  let now = start;
  while (now < deadline || calls < 3) {
    candidate.run();
    calls++;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1e3 / calls;
}

/** The middle value (the upper one of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * The median over rounds of `samples[name] / samples[baseline]` taken within each round: a burst of
 * load from elsewhere slows both sides of one ratio, where medians taken apart may come from
 * different rounds.
 */
export function medianRatio(samples: RoundSamples, name: string, baseline: string): number {
  const base = samples.get(baseline) ?? [];
  return median((samples.get(name) ?? []).map((value, round) => value / (base[round] ?? Number.NaN)));
}
