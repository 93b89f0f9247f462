import { generateSecret } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import type { FastifyPluginAsync } from 'fastify';
import { triggerEvent } from '../delivery/trigger-event.js';
import type { WebhookRecord } from '../storage/webhook-store.js';
import { rotateSecret } from '../webhooks/rotate-secret.js';
import { ApiError } from './api-error.js';
import type { MockContext } from './mock-context.js';
import { parseInput } from './parse-input.js';
import { presentDelivery, presentEvent, presentWebhook } from './present.js';
import { recoverFailedSchema } from './recover-failed-schema.js';
import { createWebhookSchema, updateWebhookSchema } from './request-schemas.js';
import { rotateSecretSchema } from './schemas/rotate-secret-schema.js';

type IdParams = { Params: { id: string } };

/** `/v1/webhooks`: the registry. */
export function webhookRoutes(context: MockContext): FastifyPluginAsync {
  const { db, webhooks, deliveries, engine } = context;
  const urlPolicy = { allowHttp: context.allowHttp, allowPrivateNetwork: context.allowPrivateNetwork };
  const createSchema = createWebhookSchema(urlPolicy);
  const updateSchema = updateWebhookSchema(urlPolicy);

  const find = (id: string): WebhookRecord => {
    const webhook = webhooks.get(id);
    if (!webhook)
      throw new ApiError('not_found', `No webhook with id ${id}; list them with GET /v1/webhooks.`);
    return webhook;
  };
  const assertNameFree = (name: string, ownId?: string): void => {
    const holder = webhooks.findByName(name);
    if (holder && holder.id !== ownId) {
      throw new ApiError('name_taken', `A webhook named "${name}" already exists; choose another name.`, [
        { field: 'name', message: `"${name}" is already used by webhook ${holder.id}` },
      ]);
    }
  };

  return async (app) => {
    app.get('/webhooks', async () => ({ data: webhooks.list().map(presentWebhook) }));

    app.post('/webhooks', async (request, reply) => {
      const input = parseInput(createSchema, request.body);
      assertNameFree(input.name);
      reply.code(201);
      return presentWebhook(webhooks.create(input));
    });

    app.get<IdParams>('/webhooks/:id', async (request) => presentWebhook(find(request.params.id)));

    app.get<IdParams>('/webhooks/:id/secret', async (request) => ({
      secret: find(request.params.id).secret,
    }));

    app.put<IdParams>('/webhooks/:id/secret', async (request) => {
      const current = find(request.params.id);
      const input = parseInput(rotateSecretSchema, request.body ?? {});
      const secret = input.secret ?? generateSecret();
      if (secret === current.secret) {
        throw new ApiError('validation_failed', 'Some fields are not valid; see details.', [
          {
            field: 'secret',
            message: 'this is already the current secret; leave secret out to generate a new one',
          },
        ]);
      }
      const changes = rotateSecret(current, secret, input.grace_period_seconds, Date.now());
      return presentWebhook(webhooks.update(current.id, changes) as WebhookRecord);
    });

    app.patch<IdParams>('/webhooks/:id', async (request) => {
      const current = find(request.params.id);
      const changes = parseInput(updateSchema, request.body ?? {});
      if (changes.name !== undefined) assertNameFree(changes.name, current.id);
      return db.transaction(() => {
        const disabling = changes.status === 'disabled' && current.status !== 'disabled';
        const updated = webhooks.update(current.id, {
          ...changes,
          ...(disabling
            ? { disabledReason: `Disabled through the API on ${new Date().toISOString()}.` }
            : {}),
        }) as WebhookRecord;
        if (disabling) deliveries.cancelForWebhook(current.id, Date.now());
        return presentWebhook(updated);
      })();
    });

    app.delete<IdParams>('/webhooks/:id', async (request, reply) => {
      const webhook = find(request.params.id);
      db.transaction(() => {
        deliveries.cancelForWebhook(webhook.id, Date.now());
        webhooks.delete(webhook.id);
      })();
      reply.code(204);
    });

    app.post<IdParams>('/webhooks/:id/recover', async (request, reply) => {
      const webhook = find(request.params.id);
      const { since } = parseInput(recoverFailedSchema, request.body ?? {});
      if (webhook.status !== 'active') {
        throw new ApiError(
          'webhook_disabled',
          `Webhook ${webhook.id} is disabled; set its status to "active" with PATCH /v1/webhooks/${webhook.id}, then recover.`,
        );
      }
      const ids = deliveries.recoverFailed(webhook.id, since.getTime(), Date.now());
      engine.wake();
      reply.code(202);
      return { resent: ids.length, delivery_ids: ids };
    });

    app.post<IdParams>('/webhooks/:id/test', async (request, reply) => {
      const webhook = find(request.params.id);
      if (webhook.status !== 'active') {
        throw new ApiError(
          'webhook_disabled',
          `Webhook ${webhook.id} is disabled; set its status to "active" with PATCH /v1/webhooks/${webhook.id} first.`,
        );
      }
      const type = webhook.events[0] as WebhookRecord['events'][number];
      const created = triggerEvent(context, {
        type,
        data: buildEvent(type).data,
        webhookIds: [webhook.id],
        firstDelayMs: 0,
      });
      if (!created) throw new ApiError('internal_error', 'Could not store the test event; try again.');
      engine.wake();
      reply.code(202);
      return { event: presentEvent(created.event), deliveries: created.deliveries.map(presentDelivery) };
    });
  };
}
