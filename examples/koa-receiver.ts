/**
 * A Koa receiver. Run: CALEIDA_WEBHOOK_SECRET=whsec_... pnpm tsx examples/koa-receiver.ts
 */
import { createServer } from 'node:http';
import { caleidaWebhook } from '@caleida/koa-middleware';
import type { AnyEventHandler } from '@caleida/verify';
import Koa from 'koa';
import { listen } from './lib/listen.js';
import { type ExampleOptions, runExample } from './lib/run-example.js';

/** The part to copy: the middleware verifies, `ctx.state.webhook` is the typed event, your code answers. */
export function createKoaApp(secret: string | string[], onEvent: AnyEventHandler): Koa {
  const verifyWebhook = caleidaWebhook({ secret });
  const app = new Koa();
  app.use(async (ctx, next) => {
    if (ctx.path !== '/webhooks/caleida') return next();
    await verifyWebhook(ctx, async () => {
      const event = ctx.state.webhook;
      if (event.type === 'message') console.log(`${event.data.role}: ${event.data.content}`);
      await onEvent(event);
      ctx.status = 204;
    });
  });
  return app;
}

/** Starts the Koa receiver on 127.0.0.1. */
export function startKoaReceiver({ secret, port = 3000, onEvent = () => {} }: ExampleOptions) {
  return listen(createServer(createKoaApp(secret, onEvent).callback()), port);
}

await runExample(import.meta.url, startKoaReceiver);
