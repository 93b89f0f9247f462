import { WebhookRequestError } from '../errors/webhook-request-error.js';
import type { ReceivedEvent } from '../events/event.js';
import type { EventType } from '../events/event-types.js';
import { parseEvent } from '../events/parse-event.js';
import { MemoryReplayStore } from '../replay/memory-replay-store.js';
import {
  createReplayGuard,
  DEFAULT_REPLAY_LEASE_SECONDS,
  DEFAULT_REPLAY_RETENTION_SECONDS,
  DEFAULT_REPLAY_STORE_TIMEOUT_MS,
  REPLAY_STORE_RETRY_AFTER_SECONDS,
  type ReplayAdmission,
  SETTLED,
  settleNothing,
} from '../replay/replay-guard.js';
import { decodeSecretKey } from '../secret/decode-secret-key.js';
import { checkTimingOptions } from '../signature/check-timing-options.js';
import {
  DEFAULT_TOLERANCE_SECONDS,
  type VerifiedWebhook,
  type VerifyOptions,
} from '../signature/read-signature-headers.js';
import { checkRequestShape } from './check-request-shape.js';
import { errorResponse, jsonResponse } from './error-response.js';
import { DEFAULT_BODY_READ_TIMEOUT_MS, rawBodyAtHand, readPendingBody } from './read-raw-body.js';
import type {
  Admission,
  AnyEventHandler,
  ErrorHandler,
  EventHandler,
  ReceiverOptions,
  ReceiverRequest,
  ReceiverResponse,
} from './receiver-types.js';

/** Default largest body: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A framework-neutral webhook endpoint: every HTTP rule of docs/protocol.md lives here. */
export interface Receiver {
  /** The options in force, defaults applied. */
  readonly options: Readonly<Required<Omit<ReceiverOptions, 'replayStore'>>> & {
    replayStore: ReceiverOptions['replayStore'];
  };
  /** Runs `handler` for events of this type (or these types). Chainable. */
  on<T extends EventType | 'unknown'>(type: T | readonly T[], handler: EventHandler<T>): Receiver;
  /** Runs `handler` for every event, after the typed handlers. Chainable. */
  onAny(handler: AnyEventHandler): Receiver;
  /** Runs `handler` when a request is refused or a handler fails. Chainable. */
  onError(handler: ErrorHandler): Receiver;
  /**
   * Checks a request without running handlers: method, content type, size, signature, payload and
   * replay. Adapters use it for "attach" mode, then call `settle()` once the route has answered.
   */
  admit(request: ReceiverRequest): Promise<Admission>;
  /** Admits a request, runs its handlers, and returns the response to send. Never throws. */
  handle(request: ReceiverRequest): Promise<ReceiverResponse>;
}

/**
 * The signature check a receiver runs: `verify()` (node:crypto, synchronous) in `createReceiver()`;
 * another back end (Web Crypto's `verifyAsync()`) may return a promise.
 */
export type VerifySignature = (options: VerifyOptions) => VerifiedWebhook | Promise<VerifiedWebhook>;

/**
 * `createReceiver()` with the signature check passed in, so the same rules run on another crypto
 * back end. Every check, code and status is the receiver's own; only the HMAC differs. This file
 * imports no `node:*`: the Web build's `createReceiver` is this with `verifyAsync()`.
 *
 * @example
 * const receiver = createReceiverWith(verifyAsync, { secret: env.CALEIDA_WEBHOOK_SECRET });
 */
export function createReceiverWith(
  verifySignature: VerifySignature,
  {
    secret,
    toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    bodyReadTimeoutMs = DEFAULT_BODY_READ_TIMEOUT_MS,
    replayStore = new MemoryReplayStore(),
    replayRetentionSeconds = DEFAULT_REPLAY_RETENTION_SECONDS,
    replayLeaseSeconds = DEFAULT_REPLAY_LEASE_SECONDS,
    replayStoreTimeoutMs = DEFAULT_REPLAY_STORE_TIMEOUT_MS,
    onReplayStoreError = 'fail-closed',
    unknownEvents = 'acknowledge',
    logger = console,
    now = () => new Date(),
  }: ReceiverOptions,
): Receiver {
  const secrets = validateSecrets(secret);
  checkTimingOptions(toleranceSeconds, undefined);
  if (typeof now !== 'function') {
    throw new TypeError('@caleida/verify: now must be a function that returns the current Date.');
  }
  if (!(Number.isInteger(maxBodyBytes) && maxBodyBytes > 0)) {
    throw new TypeError(`@caleida/verify: maxBodyBytes must be a positive integer, got ${maxBodyBytes}.`);
  }
  if (!(Number.isFinite(bodyReadTimeoutMs) && bodyReadTimeoutMs > 0)) {
    throw new TypeError(
      `@caleida/verify: bodyReadTimeoutMs must be a positive number of milliseconds, got ${String(bodyReadTimeoutMs)}.`,
    );
  }
  if (unknownEvents !== 'acknowledge' && unknownEvents !== 'reject') {
    throw new TypeError(
      `@caleida/verify: unknownEvents must be 'acknowledge' or 'reject', got ${String(unknownEvents)}.`,
    );
  }
  const replayGuard =
    replayStore &&
    createReplayGuard({
      store: replayStore,
      retentionSeconds: replayRetentionSeconds,
      leaseSeconds: replayLeaseSeconds,
      timeoutMs: replayStoreTimeoutMs,
      onStoreError: onReplayStoreError,
      windowSeconds: toleranceSeconds * 2,
      logger,
    });
  const handlers = new Map<string, ((event: ReceivedEvent) => void | Promise<void>)[]>();
  const anyHandlers: AnyEventHandler[] = [];
  const errorHandlers: ErrorHandler[] = [];
  let misconfigurationLogged = false;

  const reportError = async (error: Error, event?: ReceivedEvent): Promise<void> => {
    if (
      error instanceof WebhookRequestError &&
      error.code.startsWith('body_already') &&
      !misconfigurationLogged
    ) {
      misconfigurationLogged = true;
      logger.error(`[@caleida/verify] ${error.message}`);
    }
    for (const handler of errorHandlers) {
      try {
        await handler(error, event ? { event } : {});
      } catch {
        // An error handler that fails must not change the answer Caleida gets.
      }
    }
  };

  const receiver: Receiver = {
    options: {
      secret,
      toleranceSeconds,
      maxBodyBytes,
      bodyReadTimeoutMs,
      replayStore,
      replayRetentionSeconds,
      replayLeaseSeconds,
      replayStoreTimeoutMs,
      onReplayStoreError,
      unknownEvents,
      logger,
      now,
    },

    on(type, handler) {
      for (const name of typeof type === 'string' ? [type] : type) {
        const list = handlers.get(name) ?? [];
        list.push(handler as (event: ReceivedEvent) => void | Promise<void>);
        handlers.set(name, list);
      }
      return receiver;
    },

    onAny(handler) {
      anyHandlers.push(handler);
      return receiver;
    },

    onError(handler) {
      errorHandlers.push(handler);
      return receiver;
    },

    async admit(request) {
      try {
        checkRequestShape(request.method, request.headers, maxBodyBytes, request.rawHeaders);
        const source = request.source ?? 'node';
        // A body the framework already read costs no promise and no tick.
        const payload =
          rawBodyAtHand(request.body, request.parsedBody, maxBodyBytes, source) ??
          (await readPendingBody(request.body, request.parsedBody, maxBodyBytes, source, bodyReadTimeoutMs));
        const verified = verifySignature({
          secret: secrets,
          payload,
          headers: request.headers,
          toleranceSeconds,
          now: now(),
        });
        // Awaited only when the back end is async: the node:crypto path stays one tick shorter.
        const { id } = verified instanceof Promise ? await verified : verified;
        const event = parseEvent(payload) as ReceivedEvent;
        event.id = id;
        if (event.type === 'unknown' && unknownEvents === 'reject') {
          throw new WebhookRequestError(
            'unknown_event_type',
            `Unknown event type "${event.receivedType}"; this receiver is set to reject event types it does not know.`,
          );
        }
        if (!replayGuard) return { accepted: true, event, settle: settleNothing };
        let replay: ReplayAdmission;
        try {
          // Awaited only for a store elsewhere: the in-process store answers synchronously.
          const pending = replayGuard.admit(id);
          replay = pending instanceof Promise ? await pending : pending;
        } catch (error) {
          if (!(error instanceof WebhookRequestError && error.code === 'replay_store_unavailable'))
            throw error;
          await reportError(error);
          const response = errorResponse(error);
          response.headers['retry-after'] = String(REPLAY_STORE_RETRY_AFTER_SECONDS);
          return { accepted: false, response, error };
        }
        if (replay.duplicate) {
          return { accepted: false, response: jsonResponse(200, { received: true, id, duplicate: true }) };
        }
        return { accepted: true, event, settle: replay.settle };
      } catch (error) {
        await reportError(error as Error);
        return { accepted: false, response: errorResponse(error), error: error as Error };
      }
    },

    async handle(request) {
      const admission = await receiver.admit(request);
      if (!admission.accepted) return admission.response;
      const { event } = admission;
      try {
        for (const handler of handlers.get(event.type) ?? []) await handler(event);
        for (const handler of anyHandlers) await handler(event);
      } catch (error) {
        await admission.settle(false);
        const failure = error instanceof Error ? error : new Error(String(error));
        await reportError(failure, event);
        return errorResponse(
          new WebhookRequestError(
            'handler_failed',
            `A handler for the ${event.type === 'unknown' ? event.receivedType : event.type} event failed; Caleida will retry it.`,
          ),
        );
      }
      const settling = admission.settle(true);
      // An in-process store has already recorded it: no tick spent awaiting the shared promise.
      if (settling !== SETTLED) await settling;
      return jsonResponse(200, {
        received: true,
        id: event.id,
        type: event.type === 'unknown' ? event.receivedType : event.type,
      });
    },
  };
  return receiver;
}

function validateSecrets(secret: string | readonly string[]): readonly string[] {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new TypeError(
      '@caleida/verify: pass the webhook secret as `secret` (a string, or an array while rotating).',
    );
  }
  for (const each of secrets) {
    try {
      decodeSecretKey(each);
    } catch (error) {
      throw new TypeError(`@caleida/verify: ${(error as Error).message}`);
    }
  }
  return secrets;
}
