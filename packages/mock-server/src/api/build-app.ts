import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { dashboardRoutes } from '../dashboard/dashboard-routes.js';
import { ApiError } from './api-error.js';
import { deliveryRoutes } from './delivery-routes.js';
import { eventRoutes } from './event-routes.js';
import type { MockContext } from './mock-context.js';
import { openApiDocument } from './openapi.js';
import { webhookRoutes } from './webhook-routes.js';

/** Largest request body accepted. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Builds the Fastify app: /v1 (behind the API key), /healthz, /openapi.json and the dashboard. */
export async function buildApp(
  context: MockContext,
  logger: FastifyServerOptions['logger'],
): Promise<FastifyInstance> {
  const app = Fastify({ logger, bodyLimit: MAX_BODY_BYTES });

  // Our own JSON parser: an empty body is "no body" (POST .../retry needs none), and bad JSON gets
  // our error shape rather than Fastify's.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(
        new ApiError(
          'invalid_json',
          `The body is not valid JSON (${(error as Error).message}); send a JSON object.`,
        ),
      );
    }
  });

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.statusCode).send(error.toJSON());
    const known = fromFastify(error);
    if (known) return reply.code(known.statusCode).send(known.toJSON());
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
