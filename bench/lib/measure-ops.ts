/** One function to measure, by name. */
export interface Candidate {
  name: string;
  run: () => unknown;
}

/** Operations per second of each candidate: the median over interleaved rounds. */
export type OpsPerSecond = Map<string, number>;

/**
 * Measures synchronous functions in interleaved rounds (A, B, C, A, B, C, ...), so that a noisy
 * neighbour on a shared machine slows every candidate alike and the ratios stay meaningful.
 */
export function measureOps(candidates: Candidate[], { rounds = 7, roundMs = 250 } = {}): OpsPerSecond {
  for (const candidate of candidates) for (let i = 0; i < 2_000; i++) candidate.run();
  const samples = new Map<string, number[]>(candidates.map((candidate) => [candidate.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const candidate of candidates) {
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
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
