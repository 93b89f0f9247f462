/**
 * A Fastify receiver. Run: CALEIDA_WEBHOOK_SECRET=whsec_... pnpm tsx examples/fastify-receiver.ts
 */
import { caleidaWebhook } from '@caleida/fastify-plugin';
import type { AnyEventHandler } from '@caleida/verify';
import Fastify, { type FastifyInstance } from 'fastify';
import { type ExampleOptions, runExample } from './lib/run-example.js';

/** The part to copy: the plugin registers the route, verifies, and `request.webhook` is the typed event. */
export async function createFastifyApp(
  secret: string | string[],
  onEvent: AnyEventHandler,
): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(caleidaWebhook, {
    url: '/webhooks/caleida',
    secret,
    async handler(request, reply) {
      if (request.webhook.type === 'chat') console.log(`new ${request.webhook.data.channel} chat`);
      await onEvent(request.webhook);
      return reply.code(204).send();
    },
  });
  return app;
}

/** Starts the Fastify receiver on 127.0.0.1. */
export async function startFastifyReceiver({ secret, port = 3000, onEvent = () => {} }: ExampleOptions) {
  const app = await createFastifyApp(secret, onEvent);
  const address = await app.listen({ port, host: '127.0.0.1' });
  return { url: `${address}/webhooks/caleida`, close: () => app.close() };
}

await runExample(import.meta.url, startFastifyReceiver);
