import type { Receiver, ReceiverOptions } from '@caleida/verify';
import type { RouteHandlerMethod } from 'fastify';

/**
 * Options of the plugin: the webhook route's `url`, plus either the receiver's options and your
 * route `handler` ("attach" mode) or a `receiver` with handlers ("dispatch" mode).
 */
export type CaleidaWebhookPluginOptions = { url: string } & (
  | (ReceiverOptions & { handler: RouteHandlerMethod })
  | { receiver: Receiver }
);
