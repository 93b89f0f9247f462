/** One function to measure, by name. */
export interface Candidate {
  name: string;
  run: () => unknown;
}

/** Operations per second of each candidate: the median over interleaved rounds. */
export type OpsPerSecond = Map<string, number>;

/** Operations per second of each candidate in each interleaved round, in round order. */
export type OpsByRound = Map<string, number[]>;

/**
 * Measures synchronous functions in interleaved rounds (A, B, C, A, B, C, ...), so that a noisy
 * neighbour on a shared machine slows every candidate alike and the ratios stay meaningful.
 */
export function measureOps(
  candidates: Candidate[],
  options: { rounds?: number; roundMs?: number } = {},
): OpsPerSecond {
  return mediansOf(measureOpsByRound(candidates, options));
}

/**
 * `measureOps()` keeping every round's figure, so ratios can be taken within a round (see
 * `medianRatio()`): a burst of load from elsewhere then slows both sides of one ratio. Each round
 * starts with the next candidate in turn, so none always runs first or after the same one.
 */
export function measureOpsByRound(candidates: Candidate[], { rounds = 7, roundMs = 250 } = {}): OpsByRound {
  for (const candidate of candidates) for (let i = 0; i < 2_000; i++) candidate.run();
  const samples: OpsByRound = new Map(candidates.map((candidate) => [candidate.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < candidates.length; turn++) {
      const candidate = candidates[(round + turn) % candidates.length] as Candidate;
      // Each candidate starts on a clean heap, so none pays for the garbage of the one before.
      collectGarbage();
      let operations = 0;
      const start = process.hrtime.bigint();
      const deadline = start + BigInt(roundMs * 1e6);
      let now = start;
      while (now < deadline) {
        for (let i = 0; i < 100; i++) candidate.run();
        operations += 100;
        now = process.hrtime.bigint();
      }
      samples.get(candidate.name)?.push(operations / (Number(now - start) / 1e9));
    }
  }
  return samples;
}

/** Calls `gc()` when node runs with `--expose-gc` (as `pnpm bench` starts every benchmark). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The median of each candidate's rounds. */
export function mediansOf(samples: OpsByRound): OpsPerSecond {
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
