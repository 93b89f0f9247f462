import { collectGarbage, type OpsByRound } from './measure-ops.js';

/** One function to measure that may return a promise, by name. */
export interface AsyncCandidate {
  name: string;
  run: () => unknown;
}

/**
 * `measureOpsByRound()` for functions that may return a promise: the same interleaved rounds, each
 * call awaited before the next, so an async candidate is timed end to end, one request at a time;
 * wall-clock time, since an async call's cost includes waiting for the thread that does its work.
 */
export async function measureOpsAwaitedByRound(
  candidates: AsyncCandidate[],
  { rounds = 7, roundMs = 250 } = {},
): Promise<OpsByRound> {
  for (const candidate of candidates) for (let i = 0; i < 2_000; i++) await candidate.run();
  const samples: OpsByRound = new Map(candidates.map((candidate) => [candidate.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < candidates.length; turn++) {
      const candidate = candidates[(round + turn) % candidates.length] as AsyncCandidate;
      collectGarbage();
      let operations = 0;
      const start = process.hrtime.bigint();
      const deadline = start + BigInt(roundMs * 1e6);
      let now = start;
      while (now < deadline) {
        for (let i = 0; i < 20; i++) await candidate.run();
        operations += 20;
        now = process.hrtime.bigint();
      }
      samples.get(candidate.name)?.push(operations / (Number(now - start) / 1e9));
    }
  }
  return samples;
}
