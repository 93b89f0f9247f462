import type { ReceiverOptions } from '@caleida/verify';

/** The route `CaleidaWebhookModule.forRoot()` serves when no `path` is given. */
export const DEFAULT_WEBHOOK_PATH = '/webhooks/caleida';

/** Options of `CaleidaWebhookModule.forRoot()`: the receiver's options and the route's path. */
export interface CaleidaWebhookModuleOptions extends ReceiverOptions {
  /** The URL path of the webhook route (every method; the core answers 405 to all but POST). Default `/webhooks/caleida`. */
  path?: string;
}
