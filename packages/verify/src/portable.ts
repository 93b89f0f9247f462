/**
 * Everything of @caleida/verify that runs on Web APIs alone, shared by the Node entry (`index.ts`)
 * and the Web entry (`web.ts`): errors and their status table, event types and schemas, the
 * receiver's rules (`createReceiverWith`), replay stores, and the Web Crypto signature check. Each
 * entry adds its own `createReceiver` and `createFetchHandler`.
 */
export { CaleidaError } from './errors/caleida-error.js';
export {
  type PayloadIssue,
  PayloadValidationError,
  type PayloadValidationErrorCode,
} from './errors/payload-validation-error.js';
export { type ReceiverErrorCode, statusForCode } from './errors/status-for-code.js';
export { WebhookRequestError, type WebhookRequestErrorCode } from './errors/webhook-request-error.js';
export {
  WebhookVerificationError,
  type WebhookVerificationErrorCode,
} from './errors/webhook-verification-error.js';
export { constructEventAsync } from './events/construct-event-async.js';
export type {
  EventData,
  ParsedEvent,
  ReceivedEvent,
  ReceivedEventOf,
  UnknownEvent,
  WebhookEvent,
  WebhookEventOf,
} from './events/event.js';
export { EVENT_TYPES, type EventType, isEventType } from './events/event-types.js';
export { eventJsonSchemas } from './events/json-schemas.js';
export { parseEvent } from './events/parse-event.js';
export * from './events/schemas.js';
export { getHeader, type HeadersLike } from './headers/get-header.js';
export {
  createReceiverWith,
  DEFAULT_MAX_BODY_BYTES,
  type Receiver,
  type VerifySignature,
} from './receiver/create-receiver-with.js';
export type {
  Admission,
  AnyEventHandler,
  ErrorHandler,
  EventHandler,
  ReceiverErrorBody,
  ReceiverOptions,
  ReceiverRequest,
  ReceiverResponse,
  RequestSource,
} from './receiver/receiver-types.js';
export { MemoryReplayStore, type MemoryReplayStoreOptions } from './replay/memory-replay-store.js';
export {
  DEFAULT_REPLAY_LEASE_SECONDS,
  DEFAULT_REPLAY_RETENTION_SECONDS,
  DEFAULT_REPLAY_STORE_TIMEOUT_MS,
} from './replay/replay-guard.js';
export type {
  ReplayClaim,
  ReplayClaimOptions,
  ReplayCompleteOptions,
  ReplayState,
  ReplayStore,
} from './replay/replay-store.js';
export { MAX_SECRET_KEY_BYTES, MIN_SECRET_LENGTH, SECRET_PREFIX } from './secret/decode-secret-key.js';
export {
  DEFAULT_TOLERANCE_SECONDS,
  type VerifiedWebhook,
  type VerifyOptions,
} from './signature/read-signature-headers.js';
export type { SignOptions } from './signature/sign.js';
export { signAsync } from './signature/sign-async.js';
export { verifyAsync } from './signature/verify-async.js';
