export {
  createMockClient,
  type Delivery,
  type DeliveryDetail,
  type DeliveryListOptions,
  type MockClient,
  type MockClientOptions,
  type MockEvent,
  type TriggeredEvent,
  type WaitForOptions,
  type Webhook,
} from './create-mock-client.js';
export { MockApiError } from './mock-api-error.js';
export { type WaitedDelivery, WaitTimeoutError } from './wait-timeout-error.js';
