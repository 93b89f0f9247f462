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
  limit: listLimitSchema,
});

/** The answer of `GET /v1/deliveries`, newest first. */
export const deliveryListSchema = z.strictObject({ data: z.array(deliverySchema) });
