import { createHash, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import { dashboardRoutes } from '../dashboard/dashboard-routes.js';
import { storageFailure } from '../storage/storage-failure.js';
import { ApiError } from './api-error.js';
import { deliveryRoutes } from './delivery-routes.js';
import { eventRoutes } from './event-routes.js';
import { findDeepNesting, MAX_JSON_DEPTH } from './find-deep-nesting.js';
import type { MockContext } from './mock-context.js';
import { openApiDocument } from './openapi-document.js';
import { webhookRoutes } from './webhook-routes.js';

/** Largest request body accepted. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Builds the Fastify app: /v1 (behind the API key), /healthz, /openapi.json and the dashboard. */
export async function buildApp(
  context: MockContext,
  logger: FastifyServerOptions['logger'],
): Promise<FastifyInstance> {
  const { requestTimeoutMs } = context;
  const app = Fastify({
    logger,
    bodyLimit: MAX_BODY_BYTES,
    // A request must arrive whole (headers and body) within requestTimeoutMs, or it gets 408 and
    // its socket is closed: a client trickling a body cannot hold a connection for minutes.
    requestTimeout: requestTimeoutMs,
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, 60_000),
      // Node looks for late requests on this interval (30 s by default), which bounds how late
      // past the timeout the 408 can come.
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(requestTimeoutMs / 4))),
    },
    clientErrorHandler: (error, socket) => answerClientError(error, socket, requestTimeoutMs),
    // A path the router cannot decode (bad percent-encoding, an overlong id) gets our error shape.
    frameworkErrors: (_error, request, reply) => {
      const error = new ApiError(
        'malformed_request',
        `The path ${request.url.split('?')[0]?.slice(0, 100)} is not valid (bad percent-encoding or a part over 100 characters); check the ids in it.`,
      );
      void (reply as FastifyReply).code(error.statusCode).send(error.toJSON());
    },
  });

  // Our own JSON parser: an empty body is "no body" (POST .../retry needs none), and bad JSON gets
  // our error shape rather than Fastify's.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return done(
        new ApiError(
          'invalid_json',
          `The body is not valid JSON (${(error as Error).message}); send a JSON object.`,
        ),
      );
    }
    // Refused here, once for every route: deeper documents overflow the stack of whatever walks
    // them next (validation, JSON.stringify when stored or answered).
    const deepAt = findDeepNesting(parsed);
    if (deepAt === null) return done(null, parsed);
    const limit = `nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`;
    done(
      new ApiError(
        'validation_failed',
        `The body ${limit} (at ${deepAt}); flatten it to at most ${MAX_JSON_DEPTH} levels.`,
        [{ field: deepAt, message: `${limit}; flatten it to at most ${MAX_JSON_DEPTH} levels` }],
      ),
    );
  });

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.statusCode).send(error.toJSON());
    const known = fromFastify(error);
    if (known) return reply.code(known.statusCode).send(known.toJSON());
    // Any route's write can meet a database locked by another connection, or a failing disk: the
    // client is told to retry, as POST /v1/events does, never a bare 500.
    const failure = storageFailure(error);
    if (failure) {
      request.log.warn({ err: error }, `${request.method} ${request.url} answered 503: storage ${failure}`);
      const unavailable = new ApiError(
        'storage_unavailable',
        failure === 'busy'
          ? 'The database is locked by another connection right now; retry in a moment.'
          : 'The database cannot be written (disk full, read-only or damaged); see the mock server log.',
      );
      return reply.code(503).header('retry-after', '1').send(unavailable.toJSON());
    }
    request.log.error({ err: error }, 'unexpected error');
    const internal = new ApiError('internal_error', 'The mock server hit an unexpected error; see its log.');
    return reply.code(500).send(internal.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError(
      'not_found',
      `No route ${request.method} ${request.url.split('?')[0]}; see GET /openapi.json.`,
    );
    return reply.code(404).send(error.toJSON());
  });

  // server.close() ends only idle connections: one answered after it (a long-poll released, a
  // body still arriving) would stay open until the client drops it, about 4 s for fetch. Once
  // closing starts, every answer closes its connection. Registered first, so it runs before any
  // plugin's preClose hook releases long-polls.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/openapi.json', async () => openApiDocument);

  const expectedKey = digest(context.apiKey);
  await app.register(
    async (v1) => {
      v1.addHook('onRequest', async (request) => {
        const header = request.headers.authorization;
        const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
        if (!match || !timingSafeEqual(digest(match[1] as string), expectedKey)) {
          throw new ApiError(
            'unauthorized',
            header
              ? 'The API key is not valid; send the key the mock server printed at start as "Authorization: Bearer <key>".'
              : 'Missing API key; send "Authorization: Bearer <key>" with the key the mock server printed at start.',
          );
        }
      });
      await v1.register(webhookRoutes(context));
      await v1.register(eventRoutes(context));
      await v1.register(deliveryRoutes(context));
    },
    { prefix: '/v1' },
  );
  await app.register(dashboardRoutes);
  return app;
}

/**
 * Answers a request Node's HTTP parser refused before any route saw it (too slow, headers too
 * large, not HTTP), in the API's error shape, and closes the connection.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket, timeoutMs: number): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new ApiError(
          'request_timeout',
          `The request did not arrive whole within ${timeoutMs} ms; send the headers and body at once.`,
        )
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new ApiError(
            'headers_too_large',
            'The request headers are too large; send fewer or shorter headers.',
          )
        : new ApiError(
            'malformed_request',
            'The request is not valid HTTP/1.1; check the client sending it.',
          );
  if (socket.writable) {
    const body = JSON.stringify(refusal.toJSON());
    socket.write(
      `HTTP/1.1 ${refusal.statusCode} ${STATUS_CODES[refusal.statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function fromFastify(error: FastifyError): ApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        'unsupported_media_type',
        'Send the body as JSON with "Content-Type: application/json".',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('invalid_json', 'The body is not valid JSON; send a JSON object.');
    default:
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return new ApiError('validation_failed', error.message, [{ field: 'body', message: error.message }]);
      }
      return undefined;
  }
}
