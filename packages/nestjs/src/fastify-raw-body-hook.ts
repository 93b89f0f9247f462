import type { IncomingMessage } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebhookRoute } from './webhook-route.js';

/** The route config key that marks the webhook route, set through Nest's Fastify route config. */
export const ROUTE_CONFIG_KEY = 'caleidaWebhookRoute';

/**
 * Gives the webhook route, and only it, a `preParsing` hook that hands the untouched request stream
 * to the core. Fastify parses the body afterwards, so the hook passes the bytes the core read on to
 * the parser.
 */
export function installFastifyRawBodyHook(fastify: FastifyInstance, route: WebhookRoute): void {
  const { maxBodyBytes } = route.receiver.options;
  fastify.addHook('onRoute', (routeOptions) => {
    const config = routeOptions.config as Record<string, unknown> | undefined;
    if (config?.[ROUTE_CONFIG_KEY] !== route.marker) return;
    // The parser reads again what the core accepted, so it must allow as much.
    routeOptions.bodyLimit = Math.max(
      routeOptions.bodyLimit ?? fastify.initialConfig.bodyLimit ?? 0,
      maxBodyBytes,
    );
    const existing = routeOptions.preParsing;
    routeOptions.preParsing = [
      ...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]),
      caleidaRawBody,
    ];
  });

  async function caleidaRawBody(
    request: FastifyRequest,
    reply: FastifyReply,
    payload: IncomingMessage | Readable,
  ): Promise<Readable | undefined> {
    // A stream something already read is handed over as is, for the core to explain.
    const read = recordWhileRead(payload, maxBodyBytes);
    const answer = await route.admitBeforeParsing(
      {
        method: request.method,
        headers: request.headers,
        rawHeaders: request.raw.rawHeaders,
        body: read.stream,
        parsedBody: request.body,
        source: 'node',
      },
      request.raw,
      reply.raw,
    );
    if (answer) {
      reply.code(answer.status).headers(answer.headers).send(answer.body);
      return undefined;
    }
    return Readable.from([read.bytes()]);
  }
}

function recordWhileRead(
  payload: IncomingMessage | Readable,
  limit: number,
): { stream: Readable; bytes(): Buffer } {
  if (payload.readableEnded) return { stream: payload, bytes: () => Buffer.alloc(0) };
  const chunks: Buffer[] = [];
  let total = 0;
  payload.on('data', (chunk: Buffer) => {
    total += chunk.length;
    // Past the limit the core refuses the body: the rest only drains.
    if (total <= limit) chunks.push(chunk);
  });
  const stream = payload.pipe(new PassThrough());
  payload.once('error', (error) => stream.destroy(error));
  payload.once('close', () => {
    if (!payload.readableEnded)
      stream.destroy(new Error('The request was aborted before its body was fully received.'));
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}
