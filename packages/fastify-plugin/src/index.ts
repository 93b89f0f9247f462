export { caleidaWebhook } from './caleida-webhook.js';
export type { CaleidaWebhookPluginOptions } from './caleida-webhook-plugin-options.js';
