export { type CaleidaWebhookOptions, caleidaWebhook } from './caleida-webhook.js';
