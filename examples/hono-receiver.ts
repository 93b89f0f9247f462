/**
 * A Hono receiver on the Web build of @caleida/verify (Web Crypto, no node:*): this one file runs
 * on Node, Bun, Deno and Cloudflare Workers, reading CALEIDA_WEBHOOK_SECRET from the environment
 * (from the Worker's bindings on Workers).
 *
 *   Node:    import { serve } from '@hono/node-server'; serve(app);
 *   Bun:     CALEIDA_WEBHOOK_SECRET=whsec_... bun run examples/hono-receiver.ts
 *   Deno:    CALEIDA_WEBHOOK_SECRET=whsec_... deno serve --allow-env examples/hono-receiver.ts
 *   Workers: wrangler secret put CALEIDA_WEBHOOK_SECRET && wrangler deploy examples/hono-receiver.ts
 */
import { createFetchHandler, createReceiver } from '@caleida/verify/web';
import { Hono } from 'hono';
import { env } from 'hono/adapter';

type WebhookHandler = (request: Request) => Promise<Response>;

// One receiver per secret, made at the first request: on Workers the secret is only known then.
let current: { secret: string; handleWebhook: WebhookHandler } | undefined;

function webhookHandler(secret: string): WebhookHandler {
  if (current?.secret !== secret) {
    const receiver = createReceiver({ secret }).on('insight.sentiment', (event) => {
      if (event.data.sentiment === 'negative') console.log(`chat ${event.data.chat_id} needs attention`);
    });
    current = { secret, handleWebhook: createFetchHandler(receiver) };
  }
  return current.handleWebhook;
}

const app = new Hono();

// `all`, not `post`: the receiver itself answers 405 to other methods, like every adapter.
app.all('/webhooks/caleida', (context) => {
  const { CALEIDA_WEBHOOK_SECRET: secret } = env<{ CALEIDA_WEBHOOK_SECRET?: string }>(context);
  if (!secret) {
    return context.json(
      { code: 'missing_secret', message: 'Set CALEIDA_WEBHOOK_SECRET (a Worker secret on Cloudflare).' },
      500,
    );
  }
  return webhookHandler(secret)(context.req.raw);
});

export default app;
