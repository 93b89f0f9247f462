import { type Receiver, resolveAdapterOptions } from '@caleida/verify';
import type { CaleidaWebhookPluginOptions } from './caleida-webhook-plugin-options.js';

const PACKAGE = '@caleida/fastify-plugin';

/**
 * Checks what only the plugin takes (`url`, `handler`), then lets the core build (or take) the
 * receiver, so a bad option fails at registration with an error that names this package.
 */
export function resolveReceiver(options: CaleidaWebhookPluginOptions): {
  receiver: Receiver;
  dispatch: boolean;
} {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `${PACKAGE}: pass options, e.g. fastify.register(caleidaWebhook, { url: '/webhooks/caleida', secret, handler }).`,
    );
  }
  if (typeof options.url !== 'string' || !options.url.startsWith('/')) {
    throw new TypeError(
      `${PACKAGE}: \`url\` must be the webhook route's path, starting with "/" (e.g. '/webhooks/caleida'); got ${JSON.stringify(options.url)}.`,
    );
  }
  const { url: _url, ...rest } = options;
  if ('receiver' in rest) {
    if ('handler' in rest) {
      throw new TypeError(
        `${PACKAGE}: with \`receiver\` the plugin answers by itself; pass either \`receiver\` or \`secret\` with \`handler\`, not both.`,
      );
    }
    return resolveAdapterOptions(rest, PACKAGE);
  }
  const { handler, ...receiverOptions } = rest;
  if (typeof handler !== 'function') {
    throw new TypeError(
      `${PACKAGE}: pass \`handler\`, the route handler that gets the verified event on request.webhook (or \`receiver\`, to let the plugin answer).`,
    );
  }
  return resolveAdapterOptions(receiverOptions, PACKAGE);
}
