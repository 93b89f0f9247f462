import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from './api-error.js';
import type { MockContext } from './mock-context.js';
import { parseInput } from './parse-input.js';
import { presentDelivery } from './present.js';
import { presentDeliveryDetail } from './present-delivery-detail.js';
import { listDeliveriesQuery } from './request-schemas.js';

type IdParams = { Params: { id: string } };

/** `/v1/deliveries`: the log of every delivery and attempt, and manual retries. */
export function deliveryRoutes(context: MockContext): FastifyPluginAsync {
  const { deliveries, webhooks, engine } = context;
  const notFound = (id: string) => new ApiError('not_found', `No delivery with id ${id}.`);
  return async (app) => {
    app.get('/deliveries', async (request) => {
      const query = parseInput(listDeliveriesQuery, request.query);
      return {
        data: deliveries
          .list({
            webhookId: query.webhook_id,
            eventId: query.event_id,
            status: query.status,
            limit: query.limit,
          })
          .map(presentDelivery),
      };
    });

    app.get<IdParams>('/deliveries/:id', async (request) => {
      const delivery = deliveries.detail(request.params.id);
      if (!delivery) throw notFound(request.params.id);
      return presentDeliveryDetail(delivery, context.events.body(delivery.eventId) ?? null);
    });

    app.post<IdParams>('/deliveries/:id/retry', async (request, reply) => {
      const delivery = deliveries.get(request.params.id);
      if (!delivery) throw notFound(request.params.id);
      const webhook = webhooks.get(delivery.webhookId);
      if (!webhook) {
        throw new ApiError(
          'webhook_deleted',
          `The webhook of delivery ${delivery.id} was deleted; it cannot be sent again.`,
        );
      }
      if (webhook.status !== 'active') {
        throw new ApiError(
          'webhook_disabled',
          `Webhook ${webhook.id} is disabled; set its status to "active" with PATCH /v1/webhooks/${webhook.id}, then retry.`,
        );
      }
      const updated = deliveries.retryNow(delivery.id, Date.now());
      engine.wake();
      reply.code(202);
      return presentDelivery(updated ?? delivery);
    });
  };
}
