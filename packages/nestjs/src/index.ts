export { CaleidaWebhookModule } from './caleida-webhook-module.js';
export { type CaleidaWebhookModuleOptions, DEFAULT_WEBHOOK_PATH } from './caleida-webhook-module-options.js';
export {
  CALEIDA_EVENT_HANDLER,
  type CaleidaEventHandlerMetadata,
  OnAnyCaleidaEvent,
  OnCaleidaEvent,
} from './on-caleida-event.js';
