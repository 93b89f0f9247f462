import { LatencyHistogram } from './latency-histogram.js';

/** Latency figures of a run, in milliseconds. */
export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Percentiles (nearest rank) of a list of latencies, as `load` reports them (see `LatencyHistogram`). */
export function summarizeLatency(latencies: Iterable<number>): LatencySummary {
  const histogram = new LatencyHistogram();
  for (const latency of latencies) histogram.record(latency);
  return histogram.summary();
}
