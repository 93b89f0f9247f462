import { generateSecret } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import type { FastifyPluginAsync } from 'fastify';
import { triggerEvent } from '../delivery/trigger-event.js';
import type { WebhookRecord } from '../storage/webhook-store.js';
import { rotateSecret } from '../webhooks/rotate-secret.js';
import { ApiError } from './api-error.js';
import { API_ROUTES as routes } from './api-routes.js';
import { handleRoute } from './handle-route.js';
import type { MockContext } from './mock-context.js';
import { presentDelivery, presentEvent, presentWebhook as presentRecord } from './present.js';

/** `/v1/webhooks`: the registry. */
export function webhookRoutes(context: MockContext): FastifyPluginAsync {
  const { db, webhooks, deliveries, engine } = context;
  const policy = { allowHttp: context.allowHttp, allowPrivateNetwork: context.allowPrivateNetwork };
  const presentWebhook = (webhook: WebhookRecord) => presentRecord(webhook, context.health);

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
    handleRoute(app, '/v1', routes.listWebhooks, policy, () => ({
      data: webhooks.list().map(presentWebhook),
    }));

    handleRoute(app, '/v1', routes.createWebhook, policy, ({ body }) => {
      assertNameFree(body.name);
      return presentWebhook(webhooks.create(body));
    });

    handleRoute(app, '/v1', routes.getWebhook, policy, ({ params }) => presentWebhook(find(params.id)));

    handleRoute(app, '/v1', routes.getWebhookSecret, policy, ({ params }) => ({
      secret: find(params.id).secret,
    }));

    handleRoute(app, '/v1', routes.updateWebhook, policy, ({ params, body: changes }) => {
      const current = find(params.id);
      if (changes.name !== undefined) assertNameFree(changes.name, current.id);
      const answer = db.transaction(() => {
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
      // Cancelled deliveries end the long-polls waiting for them, once committed.
      if (changes.status === 'disabled') context.deliveryChanges?.emit('change');
      return answer;
    });

    handleRoute(app, '/v1', routes.deleteWebhook, policy, ({ params }) => {
      const webhook = find(params.id);
      db.transaction(() => {
        deliveries.cancelForWebhook(webhook.id, Date.now());
        webhooks.delete(webhook.id);
      })();
      context.deliveryChanges?.emit('change');
      return undefined;
    });

    handleRoute(app, '/v1', routes.rotateWebhookSecret, policy, ({ params, body }) => {
      const current = find(params.id);
      const secret = body.secret ?? generateSecret();
      if (secret === current.secret) {
        throw new ApiError('validation_failed', 'Some fields are not valid; see details.', [
          {
            field: 'secret',
            message: 'this is already the current secret; leave secret out to generate a new one',
          },
        ]);
      }
      const changes = rotateSecret(current, secret, body.grace_period_seconds, Date.now());
      return presentWebhook(webhooks.update(current.id, changes) as WebhookRecord);
    });

    handleRoute(app, '/v1', routes.recoverWebhook, policy, ({ params, body: { since } }) => {
      const webhook = find(params.id);
      if (webhook.status !== 'active') {
        throw new ApiError(
          'webhook_disabled',
          `Webhook ${webhook.id} is disabled; set its status to "active" with PATCH /v1/webhooks/${webhook.id}, then recover.`,
        );
      }
      const ids = deliveries.recoverFailed(webhook.id, since.getTime(), Date.now());
      if (ids.length > 0) context.deliveryChanges?.emit('change');
      engine.wake();
      return { resent: ids.length, delivery_ids: ids };
    });

    handleRoute(app, '/v1', routes.testWebhook, policy, ({ params }) => {
      const webhook = find(params.id);
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
      // A wait on this webhook's deliveries sees the new one now, not at its first outcome.
      context.deliveryChanges?.emit('change');
      engine.wake();
      return { event: presentEvent(created.event), deliveries: created.deliveries.map(presentDelivery) };
    });
  };
}
