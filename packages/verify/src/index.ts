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
export { constructEvent } from './events/construct-event.js';
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
export { BASE62_ALPHABET, randomBase62 } from './ids/random-base62.js';
export { createLambdaHandler } from './lambda/create-lambda-handler.js';
export type { LambdaHttpEvent, LambdaHttpResult } from './lambda/lambda-http-event.js';
export {
  type BodyParserError,
  bodyParserFailure,
  isBodyParserError,
} from './receiver/body-parser-failure.js';
export { createFetchHandler } from './receiver/create-fetch-handler.js';
export { createReceiver, DEFAULT_MAX_BODY_BYTES, type Receiver } from './receiver/create-receiver.js';
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
export { type AdapterOptions, resolveAdapterOptions } from './receiver/resolve-adapter-options.js';
export { settleWhenResponseEnds } from './receiver/settle-when-response-ends.js';
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
export {
  decodeSecret,
  MAX_SECRET_KEY_BYTES,
  MIN_SECRET_LENGTH,
  SECRET_PREFIX,
} from './secret/decode-secret.js';
export { generateEventId } from './secret/generate-event-id.js';
export { generateSecret } from './secret/generate-secret.js';
export { REDACTED, redactSecrets } from './secret/redact-secrets.js';
export { type SignOptions, sign } from './signature/sign.js';
export { signAsync } from './signature/sign-async.js';
export { signHeaders, type WebhookHeaders } from './signature/sign-headers.js';
export {
  DEFAULT_TOLERANCE_SECONDS,
  type VerifiedWebhook,
  type VerifyOptions,
  verify,
} from './signature/verify.js';
export { verifyAsync } from './signature/verify-async.js';
