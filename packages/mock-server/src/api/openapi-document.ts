import { z } from 'zod';
import { API_ROUTES } from './api-routes.js';
import type { RouteDefinition } from './define-route.js';
import { apiErrorSchema } from './schemas/error-schema.js';

/** The webhook URLs the document shows as accepted: all of them; the server's policy narrows it. */
const ANY_URL = { allowHttp: true, allowPrivateNetwork: true };

const toJson = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' }) as Record<string, unknown>;
const json = (schema: object, contentType = 'application/json') => ({
  content: { [contentType]: { schema } },
});

function parameters(route: RouteDefinition) {
  const of = (where: 'path' | 'query', schema: z.ZodObject | undefined) =>
    Object.entries(schema?.shape ?? {}).map(([name, field]) => {
      const { description, ...fieldSchema } = toJson(field as z.ZodType, 'input');
      return {
        name,
        in: where,
        required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
        schema: fieldSchema,
        ...(description ? { description } : {}),
      };
    });
  return [...of('path', route.params), ...of('query', route.query)];
}

function operation(name: string, route: RouteDefinition) {
  const body = typeof route.body === 'function' ? route.body(ANY_URL) : route.body;
  const { status, schema, contentType } = route.success;
  const params = parameters(route);
  return {
    operationId: name,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.public ? { security: [] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body
      ? { requestBody: { required: route.bodyRequired === true, ...json(toJson(body, 'input')) } }
      : {}),
    responses: {
      [status]: {
        description: route.summary,
        ...(schema ? json(toJson(schema, 'output'), contentType) : {}),
      },
      ...Object.fromEntries(
        route.errors.map((error) => [
          String(error),
          { description: 'Refused', ...json({ $ref: '#/components/schemas/Error' }) },
        ]),
      ),
    },
  };
}

/**
 * The OpenAPI 3.0 document of `routes`: every path, parameter, body and answer comes from the
 * zod schemas the server validates and answers with.
 */
export function buildOpenApiDocument(routes: Record<string, RouteDefinition> = API_ROUTES) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(routes)) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(name, route);
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Caleida mock server',
      version: '1.0.0',
      description:
        'A local Caleida: register webhooks, make events occur, and watch each signed delivery and its attempts. Every /v1 route needs "Authorization: Bearer <api key>".',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: toJson(apiErrorSchema, 'output') },
    },
    security: [{ apiKey: [] }],
    paths,
  };
}

/** The document served at `/openapi.json`. */
export const openApiDocument = buildOpenApiDocument();
