import { METHODS as METHODS_NODE_ACCEPTS } from 'node:http';
import type { Readable } from 'node:stream';
import {
  FailedBody,
  type ReceivedEvent,
  type ReceiverRequest,
  readNodeBody,
  settleWhenResponseEnds,
} from '@caleida/verify';
import type { FastifyContentTypeParser, FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { CaleidaWebhookPluginOptions } from './caleida-webhook-plugin-options.js';
import { resolveReceiver } from './resolve-receiver.js';
import { writeResponse } from './write-response.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The verified Caleida event on the route registered by `@caleida/fastify-plugin` ("attach"
     * mode); `null` elsewhere. Switch on `request.webhook.type` to narrow `request.webhook.data`.
     */
    webhook: ReceivedEvent;
  }
}

// The route answers every method Node's server hands over (CONNECT never reaches a route), so a
// GET or a PROPFIND gets the receiver's 405 with `Allow: POST` rather than Fastify's 404.
const METHODS = METHODS_NODE_ACCEPTS.filter((method) => method !== 'CONNECT');

/**
 * What the route's parser left for the receiver: the body's bytes, the reason they could not be
 * read, or (when the parser left the reading to the receiver) the stream Fastify handed it, after
 * any preParsing hook. A decorated request field rather than a WeakMap, which cost a measurable
 * share of each request in garbage collection under load.
 */
const RAW_PAYLOAD = Symbol('@caleida/fastify-plugin raw payload');
type RawPayload = Uint8Array | FailedBody | Readable;
type WithRawPayload = FastifyRequest & { [RAW_PAYLOAD]?: RawPayload | null };

function toReceiverRequest(request: FastifyRequest): ReceiverRequest {
  return {
    method: request.method,
    headers: request.headers,
    rawHeaders: request.raw.rawHeaders,
    body: (request as WithRawPayload)[RAW_PAYLOAD] ?? request.raw,
    parsedBody: request.body,
    source: 'fastify',
  };
}

/**
 * Whether the parser may read the body before the receiver has looked at the request: only a
 * request shaped as Caleida sends one (JSON, uncompressed, a declared length within the limit)
 * whose stream nothing has read yet. Anything else is left to the receiver, which answers 415 or 413
 * without reading a byte, and names what read the body first.
 */
function readsAhead(request: FastifyRequest, payload: Readable, maxBodyBytes: number): boolean {
  const { headers } = request;
  const length = headers['content-length'];
  return (
    !payload.readableEnded &&
    request.body == null &&
    headers['content-type'] === 'application/json' &&
    headers['content-encoding'] === undefined &&
    length !== undefined &&
    Number(length) <= maxBodyBytes
  );
}

async function caleidaWebhookPlugin(fastify: FastifyInstance, options: CaleidaWebhookPluginOptions) {
  const { receiver, dispatch } = resolveReceiver(options);
  const { logger, maxBodyBytes, bodyReadTimeoutMs } = receiver.options;
  // Fastify 5 routes only the common methods until told of others; it reads no body for these.
  const known = new Set(fastify.supportedMethods);
  for (const method of METHODS) if (!known.has(method)) fastify.addHttpMethod(method);
  if (!fastify.hasRequestDecorator('webhook')) fastify.decorateRequest('webhook', null as never);
  if (!fastify.hasRequestDecorator(RAW_PAYLOAD)) fastify.decorateRequest(RAW_PAYLOAD, null);

  // An encapsulated child context: its parsers apply to the webhook route only, so the rest of the
  // app keeps Fastify's JSON parsing while this route gets the untouched stream and the receiver's
  // own 415 / 413 / 400 answers.
  await fastify.register(async function caleidaWebhookRoute(child) {
    child.removeAllContentTypeParsers();
    const readWebhookBody: FastifyContentTypeParser = (request, payload, done) => {
      // Whatever a hook already left in request.body stays, so the receiver can name the cause.
      if (!readsAhead(request, payload as Readable, maxBodyBytes)) {
        (request as WithRawPayload)[RAW_PAYLOAD] = payload as Readable;
        done(null, request.body);
        return;
      }
      // Read here, as Fastify's own parsers do, with the receiver's limit and deadline: the
      // receiver then has the bytes at hand and admits the request without a promise or a tick.
      readNodeBody(payload as Readable, maxBodyBytes, bodyReadTimeoutMs, (error, bytes) => {
        (request as WithRawPayload)[RAW_PAYLOAD] = error ? new FailedBody(error) : (bytes as Uint8Array);
        done(null, request.body);
      });
    };
    // Named for JSON as well as for everything else: Fastify remembers which parser a content type
    // gets, except the catch-all's, which it looks up again (parsing the header) on every request.
    child.addContentTypeParser('application/json', readWebhookBody);
    child.addContentTypeParser('*', readWebhookBody);

    if (dispatch) {
      child.route({
        method: METHODS,
        url: options.url,
        async handler(request, reply) {
          return writeResponse(reply, await receiver.handle(toReceiverRequest(request)));
        },
      });
      return;
    }

    const { handler } = options as Extract<CaleidaWebhookPluginOptions, { handler: unknown }>;
    child.route({
      method: METHODS,
      url: options.url,
      // Admission runs in the route's handler rather than in a preHandler hook: Fastify's hook
      // runner cost each request a promise and several calls more.
      handler: async function caleidaWebhookHandler(this: FastifyInstance, request, reply) {
        const admission = await receiver.admit(toReceiverRequest(request));
        if (!admission.accepted) return writeResponse(reply, admission.response);
        request.webhook = admission.event;
        const routeFinished = settleWhenResponseEnds(reply.raw, admission, logger);
        const result = handler.call(this, request, reply);
        // An async handler's promise says when the route is done even after the sender left, when
        // Fastify no longer ends the response. A hijacked reply is the route's to end, seen there.
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          (result as Promise<unknown>).then(
            () => {
              const hijacked = reply.sent && !reply.raw.writableEnded;
              if (!hijacked) routeFinished(true);
            },
            () => routeFinished(false),
          );
          return result;
        }
        // A handler that returned nothing answers through `reply`, maybe later: returning it makes
        // Fastify wait for that answer instead of sending an empty one.
        return result === undefined ? reply : result;
      },
    });
  });
}

/**
 * Fastify 5 plugin that registers the Caleida webhook route and verifies each call on the raw
 * body. The route has its own content-type handling; the rest of the app keeps Fastify's.
 *
 * - `{ url, secret, handler, ...options }` ("attach"): verifies, puts the typed event on
 *   `request.webhook` and runs `handler`, which answers. The event id counts as processed only when
 *   the answer is 2xx, so a failed handler is run again on Caleida's retry. If the sender gives up
 *   first, the id stays claimed (a retry gets 409) until `handler` has settled.
 * - `{ url, receiver }` ("dispatch"): runs the receiver's handlers and answers by itself (200 once
 *   they succeed, 500 if one fails).
 *
 * Every refusal (405, 408, 415, 413, 400, 401, 409, duplicate 200) is answered by the plugin with the
 * JSON body of @caleida/verify; `handler` never sees it.
 *
 * @param options.url the webhook route's path, e.g. `'/webhooks/caleida'`
 * @param options.secret the webhook secret, or several while rotating
 * @param options.handler your route handler ("attach" mode)
 * @param options.toleranceSeconds timestamp window, default 300
 * @param options.maxBodyBytes body limit, default 1 MiB
 * @param options.bodyReadTimeoutMs deadline for reading a body, default 30 s (then 408)
 * @param options.replayStore processed ids, default in-memory; `false` turns replay protection off
 * @param options.unknownEvents `'acknowledge'` (default) or `'reject'`
 * @param options.receiver a receiver with handlers, for "dispatch" mode (instead of secret + handler)
 * @throws TypeError at registration for a bad option
 * @example
 * await fastify.register(caleidaWebhook, {
 *   url: '/webhooks/caleida',
 *   secret: process.env.CALEIDA_WEBHOOK_SECRET!,
 *   async handler(request, reply) {
 *     if (request.webhook.type === 'message') console.log(request.webhook.data.content);
 *     return reply.code(204).send();
 *   },
 * });
 */
export const caleidaWebhook = fp(caleidaWebhookPlugin, { fastify: '5.x', name: '@caleida/fastify-plugin' });
