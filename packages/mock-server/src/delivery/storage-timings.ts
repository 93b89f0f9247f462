/** How the delivery engine and the trigger ride out storage failures; every field in milliseconds. */
export interface StorageTimings {
  /** Wait before a failed storage call is tried again; doubles on each failure up to `retryMaxMs`. Default 50. */
  retryMinMs: number;
  /** Longest wait between two tries. Default 2,000. */
  retryMaxMs: number;
  /** Added to the attempt timeout (and chaos delays) to make a claimed delivery's lease. Default 30,000. */
  leaseMarginMs: number;
  /** How often deliveries left in flight past their lease are made due again. Default 15,000. */
  reclaimIntervalMs: number;
  /** How long `POST /v1/events` retries a locked database before it answers 503. Default 1,000. */
  triggerRetryMs: number;
}

/** The defaults of `StorageTimings`. */
export const DEFAULT_STORAGE_TIMINGS: Readonly<StorageTimings> = {
  retryMinMs: 50,
  retryMaxMs: 2_000,
  leaseMarginMs: 30_000,
  reclaimIntervalMs: 15_000,
  triggerRetryMs: 1_000,
};

/**
 * Fills in defaults and checks each timing, calling `fail` with a message on the first bad one.
 *
 * @example
 * resolveStorageTimings({ reclaimIntervalMs: 200 }, (message) => { throw new Error(message); });
 */
export function resolveStorageTimings(
  timings: Partial<StorageTimings>,
  fail: (message: string) => never,
): StorageTimings {
  const resolved = { ...DEFAULT_STORAGE_TIMINGS, ...timings };
  for (const [name, value] of Object.entries(resolved)) {
    if (!(name in DEFAULT_STORAGE_TIMINGS)) fail(`storageTimings.${name} is not a known timing.`);
    if (!Number.isInteger(value) || value < 1) {
      fail(`storageTimings.${name} must be a whole number of milliseconds ≥ 1; got ${value}.`);
    }
  }
  if (resolved.retryMaxMs < resolved.retryMinMs) {
    fail(
      `storageTimings.retryMaxMs (${resolved.retryMaxMs}) must not be below retryMinMs (${resolved.retryMinMs}).`,
    );
  }
  return resolved;
}
