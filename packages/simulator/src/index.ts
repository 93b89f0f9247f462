export { attackCases, type CheckCase } from './check/attack-cases.js';
export { formatCheckReport } from './check/format-check-report.js';
export { type CaseResult, type GradedCase, gradeCase } from './check/grade-case.js';
export { type CheckReport, type RunCheckOptions, runCheck } from './check/run-check.js';
export { applyOverrides } from './events/apply-overrides.js';
export { assertEventSchema } from './events/assert-event-schema.js';
export { type EventOverride, parseSetOptions } from './events/parse-set-options.js';
export { type RecordedEvent, readEventLines } from './events/read-event-lines.js';
export { type DeliverEventsOptions, type DeliveryResult, deliverEvents } from './http/deliver-events.js';
export { DeliveryError, type DeliveryErrorCode } from './http/delivery-error.js';
export { type SendWebhookOptions, sendWebhook, type WebhookDelivery } from './http/send-webhook.js';
export { type EventTypePattern, eventTypePattern } from './listen/event-type-pattern.js';
export { type ForwardRoute, parseForwardRoutes } from './listen/parse-forward-routes.js';
export {
  type ListenedEvent,
  type Listener,
  type ListenerOptions,
  startListener,
} from './listen/start-listener.js';
export { type LoadOptions, type LoadSummary, runLoad } from './load/run-load.js';
export { shouldColor } from './output/should-color.js';
export { runCli } from './run-cli.js';
export { UsageError, type UsageErrorCode } from './usage-error.js';
