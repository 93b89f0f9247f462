import { z } from 'zod';

/**
 * `webhook.disabled`: the mock server stopped delivering to a webhook. `reason` is `failing` (every
 * delivery failed for `disableAfterFailingMs` with at least `disableAfterExhausted` of them
 * exhausted) or `gone` (the endpoint answered 410).
 */
export const webhookDisabledEventSchema = z.object({
  type: z.literal('webhook.disabled'),
  timestamp: z.iso.datetime(),
  data: z.object({
    webhook_id: z.string(),
    webhook_name: z.string(),
    url: z.string(),
    reason: z.enum(['failing', 'gone']),
    failing_since: z.iso.datetime().nullable(),
    exhausted_deliveries: z.number().int().nonnegative(),
  }),
});

/** `delivery.exhausted`: a delivery failed for good (its retries used up, or a 410). */
export const deliveryExhaustedEventSchema = z.object({
  type: z.literal('delivery.exhausted'),
  timestamp: z.iso.datetime(),
  data: z.object({
    webhook_id: z.string(),
    delivery_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    attempts: z.number().int().positive(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
  }),
});

/** Every operational event the mock server sends (not one of Caleida's seven product events). */
export const operationalEventSchema = z.discriminatedUnion('type', [
  webhookDisabledEventSchema,
  deliveryExhaustedEventSchema,
]);

/** An operational event, as logged and as POSTed to the operational webhook. */
export type OperationalEvent = z.infer<typeof operationalEventSchema>;
