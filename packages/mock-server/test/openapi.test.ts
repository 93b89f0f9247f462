import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { API_ROUTES, type RouteName } from '../src/api/api-routes.js';
import { apiErrorSchema } from '../src/api/schemas/error-schema.js';
import { type Receiver, startReceiver, startTestServer, type TestServer, webhookInput } from './helpers.js';

let server: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
  server = await startTestServer({ retrySchedule: [0] });
});
afterAll(async () => {
  await server.stop();
  await receiver.close();
});

/** One real call per route, in an order where each finds what it needs (the webhook is deleted last). */
async function callEveryRoute() {
  const created = await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
  const webhookId = created.body.id as string;
  const triggered = await server.api('POST', '/v1/events', { type: 'chat' });
  const eventId = triggered.body.event.id as string;
  const deliveryId = triggered.body.deliveries[0].id as string;
  await receiver.waitFor(1);
  const calls: Record<RouteName, () => Promise<{ status: number; body: unknown; text?: string }>> = {
    healthz: () => server.api('GET', '/healthz'),
    openapi: () => server.api('GET', '/openapi.json'),
    dashboard: async () => {
      const response = await fetch(`${server.url}/integrations/webhook`);
      const text = await response.text();
      return { status: response.status, body: text };
    },
    listWebhooks: () => server.api('GET', '/v1/webhooks'),
    createWebhook: async () => created,
    getWebhook: () => server.api('GET', `/v1/webhooks/${webhookId}`),
    updateWebhook: () => server.api('PATCH', `/v1/webhooks/${webhookId}`, { name: 'Renamed' }),
    getWebhookSecret: () => server.api('GET', `/v1/webhooks/${webhookId}/secret`),
    rotateWebhookSecret: () => server.api('PUT', `/v1/webhooks/${webhookId}/secret`, {}),
    recoverWebhook: () =>
      server.api('POST', `/v1/webhooks/${webhookId}/recover`, { since: new Date(0).toISOString() }),
    testWebhook: () => server.api('POST', `/v1/webhooks/${webhookId}/test`),
    triggerEvent: async () => triggered,
    listEvents: () => server.api('GET', '/v1/events'),
    getEvent: () => server.api('GET', `/v1/events/${eventId}`),
    listDeliveries: () => server.api('GET', '/v1/deliveries'),
    waitForDeliveries: () =>
      server.api('GET', `/v1/deliveries/wait?event_id=${eventId}&status=succeeded&timeout_ms=5000`),
    getDelivery: () => server.api('GET', `/v1/deliveries/${deliveryId}`),
    retryDelivery: () => server.api('POST', `/v1/deliveries/${deliveryId}/retry`),
    deleteWebhook: () => server.api('DELETE', `/v1/webhooks/${webhookId}`),
  } as Record<RouteName, () => Promise<{ status: number; body: unknown }>>;
  const answers: Array<{ name: RouteName; status: number; body: unknown }> = [];
  const names = (Object.keys(API_ROUTES) as RouteName[]).filter((name) => name !== 'deleteWebhook');
  for (const name of [...names, 'deleteWebhook' as const]) {
    const call = calls[name];
    if (!call) throw new Error(`openapi.test.ts has no call for route ${name}; add one`);
    const { status, body } = await call();
    answers.push({ name, status, body });
  }
  return answers;
}

describe('/openapi.json comes from the same schemas as the routes', () => {
  it('documents exactly the routes the server has, each with its success status', async () => {
    const { body: document } = await server.api('GET', '/openapi.json', undefined, { key: null });
    const documented = Object.entries(document.paths as Record<string, Record<string, object>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const declared = Object.values(API_ROUTES).map((route) => `${route.method} ${route.path}`);
    expect(documented.sort()).toEqual(declared.sort());
    for (const route of Object.values(API_ROUTES)) {
      const operation = document.paths[route.path][route.method.toLowerCase()];
      expect(Object.keys(operation.responses)).toContain(String(route.success.status));
    }
  });

  it('every route answers its documented status with a body its response schema accepts', async () => {
    const answers = await callEveryRoute();
    for (const { name, status, body } of answers) {
      const { success } = API_ROUTES[name];
      expect({ name, status }).toEqual({ name, status: success.status });
      if (success.schema === null) continue;
      // strictObject schemas: a field the server sends but the schema lacks fails here too.
      const parsed = (success.schema as z.ZodType).safeParse(body);
      expect({ name, issues: parsed.error?.issues ?? [] }).toEqual({ name, issues: [] });
    }
  }, 20_000);

  it('a refusal matches the documented error schema', async () => {
    const missing = await server.api('GET', '/v1/webhooks/wh_missing');
    expect(missing.status).toBe(404);
    expect(apiErrorSchema.safeParse(missing.body).success).toBe(true);
    const invalid = await server.api('POST', '/v1/webhooks', { url: 'nope' });
    expect(invalid.status).toBe(400);
    expect(apiErrorSchema.safeParse(invalid.body).success).toBe(true);
  });
});
