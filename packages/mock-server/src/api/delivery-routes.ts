import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from './api-error.js';
import { API_ROUTES as routes } from './api-routes.js';
import { handleRoute } from './handle-route.js';
import type { MockContext } from './mock-context.js';
import { presentDelivery } from './present.js';
import { presentDeliveryDetail } from './present-delivery-detail.js';
import { type Waiters, waitForDeliveries } from './wait-for-deliveries.js';

const CURSOR_PREFIX = 'dc1:';
const writeCursor = (id: string) => Buffer.from(`${CURSOR_PREFIX}${id}`).toString('base64url');
const readCursor = (cursor: string): string => {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) throw badCursor();
  return text.slice(CURSOR_PREFIX.length);
};
const badCursor = () =>
  new ApiError('validation_failed', 'Some fields are not valid; see details.', [
    {
      field: 'cursor',
      message:
        'cursor is not one this server gave; pass next_cursor from the previous page as it is, or leave it out for the first page',
    },
  ]);

/** `/v1/deliveries`: the log of every delivery and attempt, and manual retries. */
export function deliveryRoutes(context: MockContext): FastifyPluginAsync {
  const { deliveries, webhooks, engine } = context;
  const policy = { allowHttp: context.allowHttp, allowPrivateNetwork: context.allowPrivateNetwork };
  const notFound = (id: string) => new ApiError('not_found', `No delivery with id ${id}.`);
  const waiters: Waiters = new Set();
  return async (app) => {
    app.addHook('preClose', async () => {
      for (const release of [...waiters]) release();
    });

    handleRoute(app, '/v1', routes.waitForDeliveries, policy, async ({ query }, request) => {
      const answer = await waitForDeliveries(
        context,
        waiters,
        {
          eventId: query.event_id,
          webhookId: query.webhook_id,
          status: query.status,
          count: query.count,
          timeoutMs: query.timeout_ms,
        },
        request,
      );
      return { timed_out: answer.timed_out, data: answer.data.map(presentDelivery) };
    });

    handleRoute(app, '/v1', routes.listDeliveries, policy, ({ query }) => {
      const beforeId = query.cursor === undefined ? undefined : readCursor(query.cursor);
      if (beforeId !== undefined && !deliveries.get(beforeId)) throw badCursor();
      // One more than the page: whether it exists says if there is a next page.
      const found = deliveries.list({
        webhookId: query.webhook_id,
        eventId: query.event_id,
        status: query.status,
        eventType: query.type,
        beforeId,
        limit: query.limit + 1,
      });
      const page = found.slice(0, query.limit);
      const last = page.at(-1);
      return {
        data: page.map(presentDelivery),
        next_cursor: found.length > query.limit && last ? writeCursor(last.id) : null,
      };
    });

    handleRoute(app, '/v1', routes.getDelivery, policy, ({ params }) => {
      const delivery = deliveries.detail(params.id);
      if (!delivery) throw notFound(params.id);
      return presentDeliveryDetail(delivery, context.events.body(delivery.eventId) ?? null);
    });

    handleRoute(app, '/v1', routes.retryDelivery, policy, ({ params }) => {
      const delivery = deliveries.get(params.id);
      if (!delivery) throw notFound(params.id);
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
      // A wait for the status it now has (pending) ends at once, not at its deadline.
      context.deliveryChanges?.emit('change');
      engine.wake();
      return presentDelivery(updated ?? delivery);
    });
  };
}
