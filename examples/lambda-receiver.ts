/**
 * An AWS Lambda receiver behind an API Gateway REST API, an HTTP API or a function URL: the same
 * handler takes all three. Deploy `handler`, with CALEIDA_WEBHOOK_SECRET in the function's
 * environment. Run locally (one signed invocation and one forged, printed):
 *   CALEIDA_WEBHOOK_SECRET=whsec_... pnpm tsx examples/lambda-receiver.ts
 */
import { pathToFileURL } from 'node:url';
import { createLambdaHandler, createReceiver } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';

const runDirectly = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (runDirectly && !process.env.CALEIDA_WEBHOOK_SECRET) {
  console.error('Set CALEIDA_WEBHOOK_SECRET to the secret of your webhook (e.g. whsec_...), then run again.');
  process.exit(2);
}

/** The part to copy: built once per cold start (a bad secret fails it), reused by every invocation. */
const receiver = createReceiver({ secret: process.env.CALEIDA_WEBHOOK_SECRET ?? '' })
  .on('message', (event) => console.log(`message in chat ${event.data.chat_id}: ${event.data.content}`))
  .on('insight.sentiment', (event) => {
    if (event.data.sentiment === 'negative') console.log(`chat ${event.data.chat_id} needs attention`);
  });

export const handler = createLambdaHandler(receiver);

if (runDirectly) {
  const secret = process.env.CALEIDA_WEBHOOK_SECRET ?? '';
  const invoke = (signingSecret: string) => {
    const request = signedRequest({ secret: signingSecret, event: buildEvent('message') });
    // A function URL event, trimmed to what the handler reads; API Gateway's shapes work the same.
    return handler({
      requestContext: { http: { method: 'POST' } },
      headers: request.headers,
      body: Buffer.from(request.body).toString('base64'),
      isBase64Encoded: true,
    });
  };
  console.log('signed:', await invoke(secret));
  console.log('forged:', await invoke('whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ=='));
}
