/**
 * An Express receiver. Run: CALEIDA_WEBHOOK_SECRET=whsec_... pnpm tsx examples/express-receiver.ts
 */
import { createServer } from 'node:http';
import { caleidaWebhook } from '@caleida/express-middleware';
import type { AnyEventHandler } from '@caleida/verify';
import express from 'express';
import { listen } from './lib/listen.js';
import { type ExampleOptions, runExample } from './lib/run-example.js';

/** The part to copy: the middleware verifies, `req.webhook` is the typed event, your route answers. */
export function createExpressApp(secret: string | string[], onEvent: AnyEventHandler): express.Express {
  const app = express();
  // `all`, not `post`: the middleware itself answers 405 to other methods.
  app.all('/webhooks/caleida', caleidaWebhook({ secret }), async (req, res) => {
    if (req.webhook.type === 'insight.sentiment' && req.webhook.data.sentiment === 'negative') {
      console.log(`chat ${req.webhook.data.chat_id} needs attention`);
    }
    await onEvent(req.webhook);
    res.sendStatus(204);
  });
  // Other routes keep their usual parsers: the webhook route above reads its own raw body.
  app.use(express.json());
  return app;
}

/** Starts the Express receiver on 127.0.0.1. */
export function startExpressReceiver({ secret, port = 3000, onEvent = () => {} }: ExampleOptions) {
  return listen(createServer(createExpressApp(secret, onEvent)), port);
}

await runExample(import.meta.url, startExpressReceiver);
