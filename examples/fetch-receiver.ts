/**
 * A fetch-style receiver (Hono here; the same handler works in Next.js route handlers, Bun and
 * Deno). Run: CALEIDA_WEBHOOK_SECRET=whsec_... pnpm tsx examples/fetch-receiver.ts
 */
import type { Server } from 'node:http';
import { type AnyEventHandler, createFetchHandler, createReceiver } from '@caleida/verify';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { listen } from './lib/listen.js';
import { type ExampleOptions, runExample } from './lib/run-example.js';

/** The part to copy: a Hono app whose /webhooks/caleida route verifies and dispatches Caleida events. */
export function createFetchApp(secret: string | string[], onEvent: AnyEventHandler): Hono {
  const receiver = createReceiver({ secret })
    .on('insight.sentiment', (event) => {
      if (event.data.sentiment === 'negative') console.log(`chat ${event.data.chat_id} needs attention`);
    })
    .onAny(onEvent);
  const handleWebhook = createFetchHandler(receiver);
  const app = new Hono();
  // `all`, not `post`: the receiver itself answers 405 to other methods, like every adapter.
  app.all('/webhooks/caleida', (context) => handleWebhook(context.req.raw));
  return app;
}

/** Starts the fetch receiver on 127.0.0.1 through @hono/node-server. */
export async function startFetchReceiver({ secret, port = 3000, onEvent = () => {} }: ExampleOptions) {
  const app = createFetchApp(secret, onEvent);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  return listen(server, port);
}

await runExample(import.meta.url, startFetchReceiver);
