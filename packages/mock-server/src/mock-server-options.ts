import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { decodeSecret } from '@caleida/verify';
import type { FastifyServerOptions } from 'fastify';
import type { ChaosOptions } from './delivery/delivery-engine.js';
import { DEFAULT_RETRY_JITTER, DEFAULT_RETRY_SCHEDULE } from './delivery/retry-schedule.js';
import { resolveStorageTimings, type StorageTimings } from './delivery/storage-timings.js';
import type { OperationalWebhook } from './health/operational-sender.js';
import { DEFAULT_THROTTLE, type ThrottleTimings } from './health/throttle.js';
import { MockServerError } from './mock-server-error.js';

/** Options of `startMockServer()`. */
export interface MockServerOptions {
  /** Port to listen on; 0 picks a free one. Default 4000. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** SQLite file (created with its folder on first start), or `':memory:'`. Default `':memory:'`. */
  db?: string;
  /** The API key; default `CALEIDA_API_KEY`, else the one stored in the database, else a new one. */
  apiKey?: string;
  /** Accept http webhook URLs on any host, not only loopback ones. Default false. */
  allowHttp?: boolean;
  /**
   * Accept and deliver to private-network addresses (10/8, 172.16/12, 192.168/16, 100.64/10,
   * fc00::/7), e.g. receivers in other containers. Link-local and metadata addresses stay refused.
   * Default false.
   */
  allowPrivateNetwork?: boolean;
  /** Resolves webhook host names before each connection; default `dns.lookup`. */
  lookup?: LookupFunction;
  /** How long a request may take to arrive whole (headers and body) before it gets 408. Default 30,000 ms. */
  requestTimeoutMs?: number;
  /** Seconds before each attempt; default the Standard Webhooks schedule (8 attempts). */
  retrySchedule?: readonly number[];
  /** Random spread of each wait, 0 to 1. Default 0.2 (±20 %). */
  retryJitter?: number;
  /** How long one attempt may take before it counts as failed. Default 15,000 ms. */
  attemptTimeoutMs?: number;
  /** Attempts in flight at once, over all webhooks. Default 64. */
  concurrency?: number;
  /** Attempts in flight at once to one webhook. Default 16. */
  perWebhookConcurrency?: number;
  /** Fault injection for testing receivers. Default off. */
  chaos?: ChaosOptions;
  /** How storage failures are ridden out (retry waits, lease margin, reclaim interval); see `StorageTimings`. */
  storageTimings?: Partial<StorageTimings>;
  /**
   * Disable a webhook (reason `failing`) once every delivery to it has failed for this long, with
   * at least `disableAfterExhausted` of them exhausted. Default 5 days.
   */
  disableAfterFailingMs?: number;
  /** Deliveries that must have failed for good before a failing webhook is disabled. Default 5. */
  disableAfterExhausted?: number;
  /** Where `webhook.disabled` and `delivery.exhausted` are POSTed, signed with its secret. Default none (logged only). */
  operationalWebhook?: OperationalWebhook;
  /** Pauses of the 502/504 throttle; see `createThrottle()`. Default 1 s, doubling up to 60 s. */
  throttle?: Partial<ThrottleTimings>;
  /** `false` for silence, or pino options (`{ level: 'info' }`). Default false. */
  logger?: false | Exclude<FastifyServerOptions['logger'], boolean | undefined>;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<
  Omit<MockServerOptions, 'apiKey' | 'storageTimings' | 'operationalWebhook' | 'throttle'>
> & {
  apiKey: string | undefined;
  storageTimings: StorageTimings;
  operationalWebhook: OperationalWebhook | undefined;
  throttle: ThrottleTimings;
};

/** Fills in defaults and checks every option, throwing `MockServerError('invalid_option')` on the first bad one. */
export function resolveOptions({
  port = 4000,
  host = '127.0.0.1',
  db = ':memory:',
  apiKey = process.env.CALEIDA_API_KEY || undefined,
  allowHttp = false,
  allowPrivateNetwork = false,
  lookup = dnsLookup as LookupFunction,
  requestTimeoutMs = 30_000,
  retrySchedule = DEFAULT_RETRY_SCHEDULE,
  retryJitter = DEFAULT_RETRY_JITTER,
  attemptTimeoutMs = 15_000,
  concurrency = 64,
  perWebhookConcurrency = 16,
  chaos = {},
  storageTimings = {},
  disableAfterFailingMs = 5 * 24 * 60 * 60 * 1000,
  disableAfterExhausted = 5,
  operationalWebhook,
  throttle = {},
  logger = false,
}: MockServerOptions = {}): ResolvedOptions {
  const fail = (message: string): never => {
    throw new MockServerError('invalid_option', message);
  };
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`port must be a whole number from 0 to 65535; got ${port}.`);
  if (typeof host !== 'string' || host === '') fail('host must be a host name or address, e.g. 127.0.0.1.');
  if (typeof db !== 'string' || db === '') fail('db must be a file path or ":memory:".');
  if (apiKey !== undefined && (typeof apiKey !== 'string' || !/^[\x21-\x7e]{16,200}$/.test(apiKey))) {
    fail('the API key must be 16 to 200 printable characters without spaces.');
  }
  if (typeof lookup !== 'function') fail('lookup must be a function like dns.lookup.');
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 1) {
    fail(`the request timeout must be a whole number of milliseconds ≥ 1; got ${requestTimeoutMs}.`);
  }
  if (retrySchedule.length === 0 || retrySchedule.some((s) => !Number.isFinite(s) || s < 0)) {
    fail(
      `the retry schedule must be a non-empty list of seconds ≥ 0, e.g. 0,1,2; got ${retrySchedule.join(',')}.`,
    );
  }
  if (!(retryJitter >= 0 && retryJitter <= 1))
    fail(`the retry jitter must be from 0 to 1; got ${retryJitter}.`);
  if (!Number.isInteger(attemptTimeoutMs) || attemptTimeoutMs < 1) {
    fail(`the attempt timeout must be a whole number of milliseconds ≥ 1; got ${attemptTimeoutMs}.`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1)
    fail(`concurrency must be a whole number ≥ 1; got ${concurrency}.`);
  if (!Number.isInteger(perWebhookConcurrency) || perWebhookConcurrency < 1) {
    fail(`per-webhook concurrency must be a whole number ≥ 1; got ${perWebhookConcurrency}.`);
  }
  if (chaos.duplicate !== undefined && !(chaos.duplicate >= 0 && chaos.duplicate <= 1)) {
    fail(`chaos duplicate must be a share from 0 to 1, e.g. 0.1; got ${chaos.duplicate}.`);
  }
  if (chaos.delayMs !== undefined && !(Number.isFinite(chaos.delayMs) && chaos.delayMs >= 0)) {
    fail(`chaos delay must be milliseconds ≥ 0; got ${chaos.delayMs}.`);
  }
  if (!Number.isInteger(disableAfterFailingMs) || disableAfterFailingMs < 0) {
    fail(`disableAfterFailingMs must be a whole number of milliseconds ≥ 0; got ${disableAfterFailingMs}.`);
  }
  if (!Number.isInteger(disableAfterExhausted) || disableAfterExhausted < 1) {
    fail(`disableAfterExhausted must be a whole number ≥ 1; got ${disableAfterExhausted}.`);
  }
  if (operationalWebhook !== undefined) checkOperationalWebhook(operationalWebhook, fail);
  const throttleTimings = { ...DEFAULT_THROTTLE, ...throttle };
  const { minPauseMs, maxPauseMs } = throttleTimings;
  if (
    !(
      Number.isInteger(minPauseMs) &&
      minPauseMs >= 1 &&
      Number.isInteger(maxPauseMs) &&
      maxPauseMs >= minPauseMs
    )
  ) {
    fail(
      `throttle pauses must be whole milliseconds with 1 ≤ minPauseMs ≤ maxPauseMs; got ${minPauseMs} and ${maxPauseMs}.`,
    );
  }
  return {
    port,
    host,
    db,
    apiKey,
    allowHttp,
    allowPrivateNetwork,
    lookup,
    requestTimeoutMs,
    retrySchedule,
    retryJitter,
    attemptTimeoutMs,
    concurrency,
    perWebhookConcurrency,
    chaos,
    storageTimings: resolveStorageTimings(storageTimings, fail),
    disableAfterFailingMs,
    disableAfterExhausted,
    operationalWebhook,
    throttle: throttleTimings,
    logger,
  };
}

function checkOperationalWebhook(
  { url, secret }: OperationalWebhook,
  fail: (message: string) => never,
): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // Reported below.
  }
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    fail(`the operational webhook URL must be an http(s) URL, e.g. http://127.0.0.1:9000/ops; got "${url}".`);
  }
  try {
    decodeSecret(secret);
  } catch (error) {
    fail(
      `the operational webhook secret is not usable (${(error as Error).message}); give a whsec_ secret, e.g. from generateSecret().`,
    );
  }
}
