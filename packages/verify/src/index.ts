export { constructEvent } from './events/construct-event.js';
export { BASE62_ALPHABET, randomBase62 } from './ids/random-base62.js';
export { createLambdaHandler } from './lambda/create-lambda-handler.js';
export type { LambdaHttpEvent, LambdaHttpResult } from './lambda/lambda-http-event.js';
export * from './portable.js';
export {
  type BodyParserError,
  bodyParserFailure,
  isBodyParserError,
} from './receiver/body-parser-failure.js';
export { createFetchHandler } from './receiver/create-fetch-handler.js';
export { createReceiver } from './receiver/create-receiver.js';
export { FailedBody, readNodeBody } from './receiver/read-raw-body.js';
export { type AdapterOptions, resolveAdapterOptions } from './receiver/resolve-adapter-options.js';
export { settleWhenResponseEnds } from './receiver/settle-when-response-ends.js';
export { decodeSecret } from './secret/decode-secret.js';
export { generateEventId } from './secret/generate-event-id.js';
export { generateSecret } from './secret/generate-secret.js';
export { REDACTED, redactSecrets } from './secret/redact-secrets.js';
export { sign } from './signature/sign.js';
export { signHeaders, type WebhookHeaders } from './signature/sign-headers.js';
export { verify } from './signature/verify.js';
