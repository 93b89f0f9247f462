import { z } from 'zod';
import { defineRoute } from './define-route.js';
import { deliveryDetailSchema } from './schemas/delivery-detail-schema.js';
import {
  deliveryListSchema,
  deliverySchema,
  listDeliveriesQuery,
  waitDeliveriesQuery,
  waitedDeliveriesSchema,
} from './schemas/delivery-schema.js';
import {
  eventListSchema,
  eventSchema,
  listEventsQuery,
  triggerEventSchema,
  triggeredEventSchema,
} from './schemas/event-schema.js';
import { idParamsSchema } from './schemas/id-params-schema.js';
import { recoveredSchema, recoverFailedSchema } from './schemas/recover-failed-schema.js';
import { rotateSecretSchema } from './schemas/rotate-secret-schema.js';
import {
  createWebhookSchema,
  updateWebhookSchema,
  webhookListSchema,
  webhookSchema,
  webhookSecretSchema,
} from './schemas/webhook-schema.js';

const params = idParamsSchema;

/**
 * Every route of the mock server: the one place that says what each accepts and answers. Routes
 * are registered, `/openapi.json` is written, and the client is typed from these.
 */
export const API_ROUTES = {
  healthz: defineRoute({
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness',
    public: true,
    success: { status: 200, schema: z.strictObject({ ok: z.boolean() }) },
    errors: [],
  }),
  openapi: defineRoute({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document (OpenAPI 3.0)',
    public: true,
    success: { status: 200, schema: z.record(z.string(), z.unknown()) },
    errors: [],
  }),
  dashboard: defineRoute({
    method: 'GET',
    path: '/integrations/webhook',
    summary: 'The webhook dashboard page',
    public: true,
    success: { status: 200, schema: z.string(), contentType: 'text/html' },
    errors: [],
  }),

  listWebhooks: defineRoute({
    method: 'GET',
    path: '/v1/webhooks',
    summary: 'List webhooks',
    success: { status: 200, schema: webhookListSchema },
    errors: [401],
  }),
  createWebhook: defineRoute({
    method: 'POST',
    path: '/v1/webhooks',
    summary: 'Add a webhook',
    body: createWebhookSchema,
    bodyRequired: true,
    success: { status: 201, schema: webhookSchema },
    errors: [400, 401, 409, 503],
  }),
  getWebhook: defineRoute({
    method: 'GET',
    path: '/v1/webhooks/{id}',
    summary: 'Get a webhook',
    params,
    success: { status: 200, schema: webhookSchema },
    errors: [401, 404],
  }),
  updateWebhook: defineRoute({
    method: 'PATCH',
    path: '/v1/webhooks/{id}',
    summary: 'Edit a webhook; status "active" re-enables a disabled one',
    params,
    body: updateWebhookSchema,
    success: { status: 200, schema: webhookSchema },
    errors: [400, 401, 404, 409, 503],
  }),
  deleteWebhook: defineRoute({
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    summary: 'Delete a webhook and cancel its pending deliveries',
    params,
    success: { status: 204, schema: null },
    errors: [401, 404, 503],
  }),
  getWebhookSecret: defineRoute({
    method: 'GET',
    path: '/v1/webhooks/{id}/secret',
    summary: "Reveal a webhook's secret",
    params,
    success: { status: 200, schema: webhookSecretSchema },
    errors: [401, 404],
  }),
  rotateWebhookSecret: defineRoute({
    method: 'PUT',
    path: '/v1/webhooks/{id}/secret',
    summary: "Rotate a webhook's secret; the previous one keeps signing for the grace period",
    description:
      'Every call until secret_rotation.previous_secret_expires_at carries two signatures, the new secret first. A second rotation keeps only the newest previous secret.',
    params,
    body: rotateSecretSchema,
    success: { status: 200, schema: webhookSchema },
    errors: [400, 401, 404, 503],
  }),
  recoverWebhook: defineRoute({
    method: 'POST',
    path: '/v1/webhooks/{id}/recover',
    summary: 'Re-send every delivery of this webhook that failed since a time',
    params,
    body: recoverFailedSchema,
    success: { status: 202, schema: recoveredSchema },
    errors: [400, 401, 404, 409, 503],
  }),
  testWebhook: defineRoute({
    method: 'POST',
    path: '/v1/webhooks/{id}/test',
    summary: 'Send one test event to this webhook only',
    params,
    success: { status: 202, schema: triggeredEventSchema },
    errors: [401, 404, 409, 503],
  }),

  triggerEvent: defineRoute({
    method: 'POST',
    path: '/v1/events',
    summary: 'Make an event occur; without data a realistic example is generated',
    body: triggerEventSchema,
    bodyRequired: true,
    success: { status: 202, schema: triggeredEventSchema },
    errors: [400, 401, 409, 503],
  }),
  listEvents: defineRoute({
    method: 'GET',
    path: '/v1/events',
    summary: 'List events, newest first',
    query: listEventsQuery,
    success: { status: 200, schema: eventListSchema },
    errors: [400, 401],
  }),
  getEvent: defineRoute({
    method: 'GET',
    path: '/v1/events/{id}',
    summary: 'Get an event',
    params,
    success: { status: 200, schema: eventSchema },
    errors: [401, 404],
  }),

  listDeliveries: defineRoute({
    method: 'GET',
    path: '/v1/deliveries',
    summary: 'List deliveries with their attempts, newest first',
    query: listDeliveriesQuery,
    success: { status: 200, schema: deliveryListSchema },
    errors: [400, 401],
  }),
  waitForDeliveries: defineRoute({
    method: 'GET',
    path: '/v1/deliveries/wait',
    summary: 'Wait until count deliveries of an event or webhook are in a status (long-poll)',
    description:
      'Answers as soon as at least count matching deliveries are in status (timed_out: false, those deliveries), or at timeout_ms (at most 60000) with timed_out: true and every matching delivery so far, each with its status, attempts and last error. Still 200 on timeout: ask again to wait longer.',
    query: waitDeliveriesQuery,
    success: { status: 200, schema: waitedDeliveriesSchema },
    errors: [400, 401, 429],
  }),
  getDelivery: defineRoute({
    method: 'GET',
    path: '/v1/deliveries/{id}',
    summary: 'Get a delivery with every attempt in full: what it sent and what came back',
    params,
    success: { status: 200, schema: deliveryDetailSchema },
    errors: [401, 404],
  }),
  retryDelivery: defineRoute({
    method: 'POST',
    path: '/v1/deliveries/{id}/retry',
    summary: 'Send a delivery again now',
    params,
    success: { status: 202, schema: deliverySchema },
    errors: [401, 404, 409, 503],
  }),
} as const;

/** The name of each route in `API_ROUTES`. */
export type RouteName = keyof typeof API_ROUTES;
