export { ApiError, type ApiErrorCode, type FieldIssue, STATUS_FOR_API_CODE } from './api/api-error.js';
export { openApiDocument } from './api/openapi-document.js';
export type { ChaosOptions } from './delivery/delivery-engine.js';
export { DEFAULT_RETRY_JITTER, DEFAULT_RETRY_SCHEDULE } from './delivery/retry-schedule.js';
export { DEFAULT_STORAGE_TIMINGS, type StorageTimings } from './delivery/storage-timings.js';
export {
  deliveryExhaustedEventSchema,
  type OperationalEvent,
  operationalEventSchema,
  webhookDisabledEventSchema,
} from './health/operational-events.js';
export type { OperationalWebhook } from './health/operational-sender.js';
export { DEFAULT_THROTTLE, type ThrottleTimings } from './health/throttle.js';
export type { HealthSnapshot } from './health/webhook-health.js';
export { MockServerError, type MockServerErrorCode } from './mock-server-error.js';
export type { MockServerOptions } from './mock-server-options.js';
export { type MockServer, startMockServer } from './start-mock-server.js';
