export { ApiError, type ApiErrorCode, type FieldIssue, STATUS_FOR_API_CODE } from './api/api-error.js';
export { openApiDocument } from './api/openapi.js';
export type { ChaosOptions } from './delivery/delivery-engine.js';
export { DEFAULT_RETRY_JITTER, DEFAULT_RETRY_SCHEDULE } from './delivery/retry-schedule.js';
export { DEFAULT_STORAGE_TIMINGS, type StorageTimings } from './delivery/storage-timings.js';
export { MockServerError, type MockServerErrorCode } from './mock-server-error.js';
export type { MockServerOptions } from './mock-server-options.js';
export { type MockServer, startMockServer } from './start-mock-server.js';
