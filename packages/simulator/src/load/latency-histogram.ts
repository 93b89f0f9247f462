import { build, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from './summarize-latency.js';

/** Latencies are counted in units of 10 µs: the 0.01 ms the summary is rounded to. */
const UNITS_PER_MS = 100;
/** Longer answers are counted as this long (an hour); `--timeout` ends a request well before. */
const HIGHEST_MS = 3_600_000;

/**
 * Latencies of a load run in constant memory, whatever its length: an HdrHistogram (as autocannon
 * keeps) with 4 significant digits, so every latency up to 327 ms is kept exactly to the 0.01 ms the
 * summary shows, and longer ones within 0.01 %. About 1 MiB, allocated once.
 *
 * @example
 * const histogram = new LatencyHistogram();
 * histogram.record(12.5);
 * histogram.summary(); // { p50: 12.5, p90: 12.5, p99: 12.5, max: 12.5 }
 */
export class LatencyHistogram {
  readonly #histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MS * UNITS_PER_MS,
    numberOfSignificantValueDigits: 4,
    bitBucketSize: 32,
    useWebAssembly: false,
  });

  /** How many latencies were recorded. */
  get count(): number {
    return this.#histogram.totalCount;
  }

  /** Records one latency, in milliseconds. */
  record(latencyMs: number): void {
    const units = Math.round(latencyMs * UNITS_PER_MS);
    this.#histogram.recordValue(Math.min(Math.max(units, 0), HIGHEST_MS * UNITS_PER_MS));
  }

  /** Nearest-rank percentiles and the maximum, in milliseconds (all 0 when nothing was recorded). */
  summary(): LatencySummary {
    const histogram = this.#histogram;
    if (histogram.totalCount === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
    const max = histogram.maxValue;
    // A percentile is its bucket's highest value, which may pass the largest latency recorded.
    const ms = (units: number) => Math.min(units, max) / UNITS_PER_MS;
    return {
      p50: ms(histogram.getValueAtPercentile(50)),
      p90: ms(histogram.getValueAtPercentile(90)),
      p99: ms(histogram.getValueAtPercentile(99)),
      max: ms(max),
    };
  }
}
