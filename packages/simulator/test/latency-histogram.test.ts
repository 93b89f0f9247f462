import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../src/load/latency-histogram.js';
import { summarizeLatency } from '../src/load/summarize-latency.js';

describe('LatencyHistogram', () => {
  it('summary() gives nearest-rank percentiles exact to 0.01 ms below 327 ms', () => {
    const histogram = new LatencyHistogram();
    const latencies = Array.from(
      { length: 1000 },
      (_, index) => Math.round((index * 0.3271 + 0.01) * 100) / 100,
    );
    for (const latency of latencies) histogram.record(latency);
    const sorted = [...latencies].sort((a, b) => a - b);
    const nearestRank = (fraction: number) => sorted[Math.ceil(fraction * sorted.length) - 1];
    expect(histogram.summary()).toEqual({
      p50: nearestRank(0.5),
      p90: nearestRank(0.9),
      p99: nearestRank(0.99),
      max: sorted.at(-1),
    });
    expect(histogram.count).toBe(1000);
  });

  it('summary() keeps longer latencies within 0.01 % and never reports a percentile above the maximum', () => {
    const summary = summarizeLatency([5, 1234.5678, 9876.54]);
    expect(summary.max).toBeCloseTo(9876.54, 2);
    expect(Math.abs(summary.p50 - 1234.5678) / 1234.5678).toBeLessThan(1e-4);
    expect(summary.p99).toBeLessThanOrEqual(summary.max);
    expect(summary.p90).toBeLessThanOrEqual(summary.max);
  });

  it('record() keeps memory constant: a million latencies add nothing to the heap', () => {
    const histogram = new LatencyHistogram();
    histogram.record(1);
    const before = process.memoryUsage().heapUsed;
    for (let index = 0; index < 1_000_000; index++) histogram.record((index % 5000) / 10);
    const grown = process.memoryUsage().heapUsed - before;
    expect(histogram.count).toBe(1_000_001);
    // A list of a million latencies alone would hold 8 MB.
    expect(grown).toBeLessThan(2 * 1024 * 1024);
  });

  it('record() counts a negative or huge latency at the bounds instead of throwing', () => {
    const histogram = new LatencyHistogram();
    histogram.record(-1);
    histogram.record(10 * 3_600_000);
    expect(histogram.summary()).toMatchObject({ p50: 0, max: 3_600_000 });
  });
});
