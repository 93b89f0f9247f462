import type { ReceiverErrorCode } from '../errors/status-for-code.js';
import type { ParsedEvent, ReceivedEvent, ReceivedEventOf } from '../events/event.js';
import type { EventType } from '../events/event-types.js';
import type { HeadersLike } from '../headers/get-header.js';
import type { ReplayStore } from '../replay/replay-store.js';

/** Which framework handed the request over; only used to word fix-it hints in error messages. */
export type RequestSource = 'express' | 'koa' | 'fastify' | 'fetch' | 'node';

/**
 * An HTTP request in the receiver's terms. Adapters translate their framework's request into this.
 */
export interface ReceiverRequest {
  method: string;
  headers: HeadersLike;
  /**
   * Node's `req.rawHeaders`, when there is one: lets the receiver see a header sent twice, which
   * `req.headers` hides (Node keeps the first content-type and joins other copies with ", ").
   */
  rawHeaders?: readonly string[];
  /**
   * The raw body: bytes or a string already held by the framework, or a stream to read (a Node
   * `IncomingMessage`, a web `ReadableStream`). Anything else means a body parser got there first.
   */
  body: string | Uint8Array | AsyncIterable<Uint8Array | string> | unknown;
  /**
   * What the framework's body parser left (e.g. `req.body`). Bytes or a string there are used as the
   * raw body (express.raw(), a `rawBody` field); an object explains a body that is gone.
   */
  parsedBody?: unknown;
  source?: RequestSource;
}

/** An HTTP response in the receiver's terms; adapters copy it onto their framework's response. */
export interface ReceiverResponse {
  status: number;
  headers: Record<string, string>;
  /** A JSON text. */
  body: string;
}

/** The JSON body of every error response. Never contains the secret. */
export interface ReceiverErrorBody {
  code: ReceiverErrorCode | 'internal_error';
  message: string;
  issues?: { path: (string | number)[]; message: string }[];
}

/** A handler for events of type `T`. Throwing (or rejecting) answers 500 so that Caleida retries. */
export type EventHandler<T extends EventType | 'unknown'> = (
  event: ReceivedEventOf<T>,
) => void | Promise<void>;

/** A handler for every event, the unknown ones included. */
export type AnyEventHandler = (event: ReceivedEvent<ParsedEvent>) => void | Promise<void>;

/** Called when a request is refused or a handler fails: for logging and alerting. */
export type ErrorHandler = (error: Error, context: { event?: ReceivedEvent }) => void | Promise<void>;

/** Options of `createReceiver()`; the adapters take the same. */
export interface ReceiverOptions {
  /** The webhook's secret, or several while rotating (any one that matches is accepted). */
  secret: string | readonly string[];
  /** Largest accepted distance of `webhook-timestamp` from now, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** Largest body accepted, in bytes; bigger ones get 413 without being read. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * How long reading a body may take, in milliseconds, from the first byte read to the last; a body
   * still arriving then gets 408 and the connection is closed (a client trickling bytes would
   * otherwise hold it). Default 30,000.
   */
  bodyReadTimeoutMs?: number;
  /**
   * Where event ids are claimed and remembered; `false` turns replay protection off. Default
   * in-memory, which protects one process only: with several instances, pass a shared store.
   */
  replayStore?: ReplayStore | false;
  /**
   * How long a processed id is remembered, in seconds. Caleida retries the same `webhook-id` for
   * about 28 hours (33 with jitter), re-signed with a fresh timestamp each time, so this must outlast
   * the whole retry schedule, not just the timestamp window. Default 259,200 (3 days).
   */
  replayRetentionSeconds?: number;
  /**
   * How long a claim holds while its handlers run, in seconds; when the process dies mid-way, the
   * next copy runs once the lease has lapsed. Longer than your slowest handler. Default 60.
   */
  replayLeaseSeconds?: number;
  /** How long a replay store call may take before it counts as failed, in milliseconds. Default 2,000. */
  replayStoreTimeoutMs?: number;
  /**
   * When the replay store fails or times out: `'fail-closed'` (default) answers 503
   * `replay_store_unavailable` with `Retry-After` and runs nothing, so Caleida retries later;
   * `'fail-open'` runs the handlers without a claim, which may process an event twice.
   */
  onReplayStoreError?: 'fail-closed' | 'fail-open';
  /** What to do with an event type this version does not know. Default `'acknowledge'` (2xx). */
  unknownEvents?: 'acknowledge' | 'reject';
  /** Where the receiver reports misconfiguration (a body parser mounted first). Default `console`. */
  logger?: Pick<Console, 'error'>;
  /** The receiver's clock. Default: the current time. */
  now?: () => Date;
}

/** The outcome of `receiver.admit()`: refused with a response, or accepted with an event to process. */
export type Admission =
  | { accepted: false; response: ReceiverResponse; error?: Error }
  | {
      accepted: true;
      event: ReceivedEvent;
      /**
       * Reports how processing went: `true` marks the id processed (later copies get 200 without
       * running anything), `false` forgets it so that Caleida's retry runs it again. Idempotent.
       */
      settle(succeeded: boolean): Promise<void>;
    };
