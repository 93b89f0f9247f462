import { EVENT_TYPES } from '@caleida/verify';
import { z } from 'zod';
import { DELIVERY_STATUSES } from '../../storage/delivery-store.js';
import { isoTimeSchema } from './iso-time-schema.js';
import { listLimitSchema } from './list-limit-schema.js';

/** A delivery's status: `pending` (waiting for an attempt), `in_flight`, then one of the final three. */
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES, {
  error: `status must be one of ${DELIVERY_STATUSES.join(', ')}`,
});

/** One HTTP call made for a delivery. */
export const attemptSchema = z.strictObject({
  number: z.int(),
  started_at: isoTimeSchema,
  duration_ms: z.number(),
  status_code: z.int().nullable(),
  error: z.string().nullable(),
  response_excerpt: z.string().nullable().meta({ description: 'First 4 KB of the response body' }),
});

/** A delivery of one event to one webhook, with its attempts. */
export const deliverySchema = z.strictObject({
  id: z.string().meta({ example: 'dlv_4f9K2pQ8xZ1aB3cD5eF7' }),
  event_id: z.string(),
  webhook_id: z.string(),
  event_type: z.enum(EVENT_TYPES),
  status: z.enum(DELIVERY_STATUSES),
  attempt_count: z.int(),
  next_attempt_at: isoTimeSchema.nullable(),
  created_at: isoTimeSchema,
  updated_at: isoTimeSchema,
  attempts: z.array(attemptSchema),
});

/** Query of `GET /v1/deliveries`. */
export const listDeliveriesQuery = z.object({
  webhook_id: z.string().optional(),
  event_id: z.string().optional(),
  status: deliveryStatusSchema.optional(),
  type: z.enum(EVENT_TYPES, { error: `type must be one of ${EVENT_TYPES.join(', ')}` }).optional(),
  cursor: z
    .string()
    .optional()
    .meta({ description: 'next_cursor of the previous page; leave out for the first page' }),
  limit: listLimitSchema,
});

/** The answer of `GET /v1/deliveries`: a page, newest first, and the cursor of the next (null at the end). */
export const deliveryListSchema = z.strictObject({
  data: z.array(deliverySchema),
  next_cursor: z.string().nullable(),
});

/** Longest a long-poll waits; a client wanting longer asks again. */
export const MAX_WAIT_MS = 60_000;

/** Query of `GET /v1/deliveries/wait`: whose deliveries, in which status, how many, how long. */
export const waitDeliveriesQuery = z
  .object({
    event_id: z.string().optional(),
    webhook_id: z.string().optional(),
    status: deliveryStatusSchema.default('succeeded'),
    count: z.coerce
      .number({ error: 'count must be a number' })
      .int('count must be a whole number')
      .min(1, 'count must be at least 1')
      .max(1000, 'count must be at most 1000')
      .default(1),
    timeout_ms: z.coerce
      .number({ error: 'timeout_ms must be a number of milliseconds' })
      .int('timeout_ms must be a whole number of milliseconds')
      .min(0, 'timeout_ms must be 0 or more')
      .max(MAX_WAIT_MS, `timeout_ms must be at most ${MAX_WAIT_MS}; ask again to wait longer`)
      .default(30_000),
  })
  .refine((query) => query.event_id !== undefined || query.webhook_id !== undefined, {
    error: 'give event_id or webhook_id (or both) to say whose deliveries to wait for',
    path: ['event_id'],
  });

/**
 * The answer of `GET /v1/deliveries/wait`: with `timed_out: false`, the deliveries in the asked
 * status (at least `count`); with `timed_out: true`, every matching delivery so far, whatever its
 * status, so the caller sees what did arrive and why the rest did not.
 */
export const waitedDeliveriesSchema = z.strictObject({
  timed_out: z.boolean(),
  data: z.array(deliverySchema),
});
