import { EVENT_TYPES } from '@caleida/verify';
import { z } from 'zod';
import { DELIVERY_STATUSES } from '../storage/delivery-store.js';
import { STATUS_FOR_API_CODE } from './api-error.js';
import { recoverFailedSchema } from './recover-failed-schema.js';
import { createWebhookSchema, triggerEventSchema, updateWebhookSchema } from './request-schemas.js';

const anyUrl = { allowHttp: true, allowPrivateNetwork: true };
const input = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const list = (name: string) =>
  json({ type: 'object', properties: { data: { type: 'array', items: ref(name) } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [String(status), { description: 'Refused', ...json(ref('Error')) }]),
  );
const idParam = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: `The ${what} id`,
});
const limitParam = {
  name: 'limit',
  in: 'query',
  schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
};
const dateTime = { type: 'string', format: 'date-time' };
const nullable = (schema: object) => ({ ...schema, nullable: true });
const triggered = json({
  type: 'object',
  properties: { event: ref('Event'), deliveries: { type: 'array', items: ref('Delivery') } },
});

/** The OpenAPI 3.0 document served at `/openapi.json`; request bodies come from the same zod schemas that validate them. */
export const openApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Caleida mock server',
    version: '1.0.0',
    description:
      'A local Caleida: register webhooks, make events occur, and watch each signed delivery and its attempts. Every /v1 route needs "Authorization: Bearer <api key>".',
  },
  components: {
    securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
    schemas: {
      CreateWebhook: input(createWebhookSchema(anyUrl)),
      UpdateWebhook: input(updateWebhookSchema(anyUrl)),
      TriggerEvent: input(triggerEventSchema),
      Webhook: {
        type: 'object',
        properties: {
          id: { type: 'string', example: 'wh_4f9K2pQ8xZ1aB3cD5eF7' },
          name: { type: 'string' },
          url: { type: 'string', format: 'uri' },
          events: { type: 'array', items: { type: 'string', enum: [...EVENT_TYPES] } },
          status: { type: 'string', enum: ['active', 'disabled'] },
          disabled_reason: nullable({ type: 'string' }),
          secret_hint: { type: 'string', example: 'whsec_ab…xy' },
          created_at: dateTime,
          updated_at: dateTime,
        },
      },
      Event: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          type: { type: 'string', enum: [...EVENT_TYPES] },
          timestamp: dateTime,
          data: { type: 'object' },
          created_at: dateTime,
        },
      },
      Delivery: {
        type: 'object',
        properties: {
          id: { type: 'string', example: 'dlv_4f9K2pQ8xZ1aB3cD5eF7' },
          event_id: { type: 'string' },
          webhook_id: { type: 'string' },
          event_type: { type: 'string', enum: [...EVENT_TYPES] },
          status: { type: 'string', enum: [...DELIVERY_STATUSES] },
          attempt_count: { type: 'integer' },
          next_attempt_at: nullable(dateTime),
          created_at: dateTime,
          updated_at: dateTime,
          attempts: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                number: { type: 'integer' },
                started_at: dateTime,
                duration_ms: { type: 'number' },
                status_code: nullable({ type: 'integer' }),
                error: nullable({ type: 'string' }),
                response_excerpt: nullable({
                  type: 'string',
                  description: 'First 4 KB of the response body',
                }),
              },
            },
          },
        },
      },
      Error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: Object.keys(STATUS_FOR_API_CODE) },
          message: { type: 'string' },
          details: {
            type: 'array',
            items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
          },
        },
      },
    },
  },
  security: [{ apiKey: [] }],
  paths: {
    '/healthz': {
      get: {
        summary: 'Liveness',
        security: [],
        responses: { 200: json({ type: 'object', properties: { ok: { type: 'boolean' } } }) },
      },
    },
    '/openapi.json': {
      get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.0' } } },
    },
    '/integrations/webhook': {
      get: {
        summary: 'The webhook dashboard page',
        security: [],
        responses: { 200: { description: 'HTML' } },
      },
    },
    '/v1/webhooks': {
      get: { summary: 'List webhooks', responses: { 200: list('Webhook'), ...errors(401) } },
      post: {
        summary: 'Add a webhook',
        requestBody: { required: true, ...json(ref('CreateWebhook')) },
        responses: { 201: json(ref('Webhook')), ...errors(400, 401, 409) },
      },
    },
    '/v1/webhooks/{id}': {
      parameters: [idParam('webhook')],
      get: { summary: 'Get a webhook', responses: { 200: json(ref('Webhook')), ...errors(401, 404) } },
      patch: {
        summary: 'Edit a webhook; status "active" re-enables a disabled one',
        requestBody: { required: true, ...json(ref('UpdateWebhook')) },
        responses: { 200: json(ref('Webhook')), ...errors(400, 401, 404, 409) },
      },
      delete: {
        summary: 'Delete a webhook and cancel its pending deliveries',
        responses: { 204: { description: 'Deleted' }, ...errors(401, 404) },
      },
    },
    '/v1/webhooks/{id}/secret': {
      parameters: [idParam('webhook')],
      get: {
        summary: "Reveal a webhook's secret",
        responses: {
          200: json({ type: 'object', properties: { secret: { type: 'string' } } }),
          ...errors(401, 404),
        },
      },
    },
    '/v1/webhooks/{id}/recover': {
      parameters: [idParam('webhook')],
      post: {
        summary: 'Re-send every delivery of this webhook that failed since a time',
        requestBody: { required: true, ...json(input(recoverFailedSchema)) },
        responses: {
          202: json({
            type: 'object',
            properties: {
              resent: { type: 'integer', minimum: 0 },
              delivery_ids: { type: 'array', items: { type: 'string' } },
            },
          }),
          ...errors(400, 401, 404, 409, 503),
        },
      },
    },
    '/v1/webhooks/{id}/test': {
      parameters: [idParam('webhook')],
      post: {
        summary: 'Send one test event to this webhook only',
        responses: { 202: triggered, ...errors(401, 404, 409) },
      },
    },
    '/v1/events': {
      get: {
        summary: 'List events, newest first',
        parameters: [
          { name: 'type', in: 'query', schema: { type: 'string', enum: [...EVENT_TYPES] } },
          limitParam,
        ],
        responses: { 200: list('Event'), ...errors(400, 401) },
      },
      post: {
        summary: 'Make an event occur; without data a realistic example is generated',
        requestBody: { required: true, ...json(ref('TriggerEvent')) },
        responses: { 202: triggered, ...errors(400, 401, 409, 503) },
      },
    },
    '/v1/events/{id}': {
      parameters: [idParam('event')],
      get: { summary: 'Get an event', responses: { 200: json(ref('Event')), ...errors(401, 404) } },
    },
    '/v1/deliveries': {
      get: {
        summary: 'List deliveries with their attempts, newest first',
        parameters: [
          { name: 'webhook_id', in: 'query', schema: { type: 'string' } },
          { name: 'event_id', in: 'query', schema: { type: 'string' } },
          { name: 'status', in: 'query', schema: { type: 'string', enum: [...DELIVERY_STATUSES] } },
          limitParam,
        ],
        responses: { 200: list('Delivery'), ...errors(400, 401) },
      },
    },
    '/v1/deliveries/{id}': {
      parameters: [idParam('delivery')],
      get: { summary: 'Get a delivery', responses: { 200: json(ref('Delivery')), ...errors(401, 404) } },
    },
    '/v1/deliveries/{id}/retry': {
      parameters: [idParam('delivery')],
      post: {
        summary: 'Send a delivery again now',
        responses: { 202: json(ref('Delivery')), ...errors(401, 404, 409) },
      },
    },
  },
} as const;
