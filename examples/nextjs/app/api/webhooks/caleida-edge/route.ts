/**
 * The same route handler in the Edge runtime: POST /api/webhooks/caleida-edge. The Edge runtime has
 * no node:crypto; `@caleida/verify/web` verifies with Web Crypto and answers exactly as the Node.js
 * build does (the root import resolves to it too, under Next's `edge-light` condition).
 */
import { createFetchHandler, createReceiver } from '@caleida/verify/web';

export const runtime = 'edge';

// Built at the first request, not at import: `next build` imports the route without the secret.
let handleWebhook: ((request: Request) => Promise<Response>) | undefined;

export function POST(request: Request): Promise<Response> {
  handleWebhook ??= createFetchHandler(
    createReceiver({ secret: process.env.CALEIDA_WEBHOOK_SECRET ?? '' }).on('message', (event) =>
      console.log(`message in chat ${event.data.chat_id}`),
    ),
  );
  return handleWebhook(request);
}
