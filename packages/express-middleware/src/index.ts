export { type CaleidaWebhookOptions, caleidaWebhook } from './caleida-webhook.js';
export { keepBodyParserError } from './keep-body-parser-error.js';
