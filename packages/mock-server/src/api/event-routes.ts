import { dataSchemas } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import type { FastifyPluginAsync } from 'fastify';
import { triggerEventGrouped } from '../delivery/trigger-event.js';
import { StorageUnavailableError } from '../storage/storage-unavailable-error.js';
import { ApiError } from './api-error.js';
import type { MockContext } from './mock-context.js';
import { parseInput } from './parse-input.js';
import { presentDelivery, presentEvent, presentEventWithData } from './present.js';
import { listEventsQuery, triggerEventSchema } from './request-schemas.js';

/** What a 503 `storage_unavailable` asks the client to wait, in seconds. */
const STORAGE_RETRY_AFTER_SECONDS = 1;

/** `/v1/events`: make an event occur, and read past ones. */
export function eventRoutes(context: MockContext): FastifyPluginAsync {
  const { events, engine } = context;
  return async (app) => {
    app.post('/events', async (request, reply) => {
      const input = parseInput(triggerEventSchema, request.body);
      const data =
        input.data === undefined
          ? buildEvent(input.type).data
          : parseInput(dataSchemas[input.type], input.data, 'data.');
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
      engine.wake();
      reply.code(202);
      return {
        event: presentEventWithData(created.event, data),
        deliveries: created.deliveries.map(presentDelivery),
      };
    });

    app.get('/events', async (request) => {
      const query = parseInput(listEventsQuery, request.query);
      return { data: events.list(query).map(presentEvent) };
    });

    app.get<{ Params: { id: string } }>('/events/:id', async (request) => {
      const event = events.get(request.params.id);
      if (!event) throw new ApiError('not_found', `No event with id ${request.params.id}.`);
      return presentEvent(event);
    });
  };
}
