/**
 * Next.js App Router route handler for Caleida webhooks, in the Node.js runtime: POST
 * /api/webhooks/caleida. The receiver answers every status itself (401 for a bad signature, 200
 * duplicate for a replay, ...).
 */
import { createFetchHandler, createReceiver } from '@caleida/verify';

export const runtime = 'nodejs';

// Built at the first request, not at import: `next build` imports the route without the secret.
let handleWebhook: ((request: Request) => Promise<Response>) | undefined;

export function POST(request: Request): Promise<Response> {
  handleWebhook ??= createFetchHandler(
    createReceiver({ secret: process.env.CALEIDA_WEBHOOK_SECRET ?? '' })
      .on('message', (event) => console.log(`message in chat ${event.data.chat_id}`))
      .on('insight.sentiment', (event) =>
        console.log(`chat ${event.data.chat_id} is ${event.data.sentiment}`),
      ),
  );
  return handleWebhook(request);
}
