import { dataSchemas, type EventType } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import type { FastifyPluginAsync } from 'fastify';
import { triggerEventGrouped } from '../delivery/trigger-event.js';
import { StorageUnavailableError } from '../storage/storage-unavailable-error.js';
import { ApiError } from './api-error.js';
import { API_ROUTES as routes } from './api-routes.js';
import { handleRoute } from './handle-route.js';
import type { MockContext } from './mock-context.js';
import { parseInput } from './parse-input.js';
import { presentDelivery, presentEvent, presentEventWithData } from './present.js';

/** What a 503 `storage_unavailable` asks the client to wait, in seconds. */
const STORAGE_RETRY_AFTER_SECONDS = 1;

/**
 * Data that fits the event type is sent exactly as given. Otherwise the fields given replace a
 * realistic fixture's, so a test names only what it cares about; the result is checked whole
 * against the event type's schema, and a field given with a wrong value is still refused.
 */
function completeData(type: EventType, given: Record<string, unknown>): Record<string, unknown> {
  const schema = dataSchemas[type];
  if (schema.safeParse(given).success) return given;
  return parseInput(schema, { ...buildEvent(type).data, ...given }, 'data.');
}

/** `/v1/events`: make an event occur, and read past ones. */
export function eventRoutes(context: MockContext): FastifyPluginAsync {
  const { events, engine } = context;
  const policy = { allowHttp: context.allowHttp, allowPrivateNetwork: context.allowPrivateNetwork };
  return async (app) => {
    handleRoute(app, '/v1', routes.triggerEvent, policy, async ({ body: input }, request, reply) => {
      const data =
        input.data === undefined ? buildEvent(input.type).data : completeData(input.type, input.data);
      // Grouped: concurrent triggers share one commit; the answer still waits for it.
      const created = await triggerEventGrouped(context, {
        type: input.type,
        data,
        ...(input.id ? { id: input.id } : {}),
        firstDelayMs: context.firstDelayMs(),
      }).catch((error: unknown) => {
        if (!(error instanceof StorageUnavailableError)) throw error;
        request.log.warn({ err: error.cause }, `event not stored, answered 503: ${error.message}`);
        reply.header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS));
        throw new ApiError('storage_unavailable', error.message);
      });
      if (!created) {
        throw new ApiError(
          'event_id_taken',
          `An event with id ${input.id} already exists; use a new id or omit it.`,
          [{ field: 'id', message: 'already used by another event' }],
        );
      }
      // Deliveries created claimed are already with the engine; only pending ones (delayed, or
      // queued behind older due work) need it to look in the database.
      if (created.deliveries.some((delivery) => delivery.status === 'pending')) engine.wake();
      // Long-polls on this event's id or webhook learn of its deliveries now, not at their first outcome.
      if (created.deliveries.length > 0) context.deliveryChanges?.emit('change');
      return {
        event: presentEventWithData(created.event, data),
        deliveries: created.deliveries.map(presentDelivery),
      };
    });

    handleRoute(app, '/v1', routes.listEvents, policy, ({ query }) => ({
      data: events.list(query).map(presentEvent),
    }));

    handleRoute(app, '/v1', routes.getEvent, policy, ({ params }) => {
      const event = events.get(params.id);
      if (!event) throw new ApiError('not_found', `No event with id ${params.id}.`);
      return presentEvent(event);
    });
  };
}
