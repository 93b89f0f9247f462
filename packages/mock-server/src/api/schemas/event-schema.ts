import { EVENT_TYPES } from '@caleida/verify';
import { z } from 'zod';
import { deliverySchema } from './delivery-schema.js';
import { isoTimeSchema } from './iso-time-schema.js';
import { listLimitSchema } from './list-limit-schema.js';

const eventType = z.enum(EVENT_TYPES, { error: `type must be one of ${EVENT_TYPES.join(', ')}` });

/** Body of `POST /v1/events`. `data` is checked against the event type's schema separately. */
export const triggerEventSchema = z.strictObject(
  {
    type: eventType,
    data: z.record(z.string(), z.unknown(), { error: 'data must be a JSON object' }).optional(),
    id: z
      .string({ error: 'id must be a string' })
      .regex(/^[A-Za-z0-9_-]{1,200}$/, 'id must be 1 to 200 letters, digits, "_" or "-"')
      .optional(),
  },
  { error: 'the body must be a JSON object' },
);

/** Query of `GET /v1/events`. */
export const listEventsQuery = z.object({ type: eventType.optional(), limit: listLimitSchema });

/** An event as the API shows it: the envelope's type, timestamp and data. */
export const eventSchema = z.strictObject({
  id: z.string().meta({ example: 'evt_4f9K2pQ8xZ1aB3cD5eF7' }),
  type: z.enum(EVENT_TYPES),
  timestamp: z.iso.datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
  created_at: isoTimeSchema,
});

/** The answer of `GET /v1/events`, newest first. */
export const eventListSchema = z.strictObject({ data: z.array(eventSchema) });

/** The answer of a trigger: the event, and one delivery per webhook it goes to. */
export const triggeredEventSchema = z.strictObject({
  event: eventSchema,
  deliveries: z.array(deliverySchema),
});
