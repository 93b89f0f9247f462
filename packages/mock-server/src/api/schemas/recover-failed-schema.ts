import { z } from 'zod';

/** The body of `POST /v1/webhooks/{id}/recover`: re-send the failed deliveries created since a time. */
export const recoverFailedSchema = z.strictObject(
  {
    since: z
      .string({ error: 'since must be an ISO 8601 time, e.g. 2026-11-28T10:00:00Z' })
      .refine((value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && Number.isFinite(Date.parse(value)), {
        error: 'since must be an ISO 8601 time with a date and a time, e.g. 2026-11-28T10:00:00Z',
      })
      .transform((value) => new Date(value))
      .refine((value) => value.getTime() <= Date.now(), { error: 'since must not be in the future' }),
  },
  { error: 'the body must be a JSON object: { "since": "<ISO 8601 time>" }' },
);

/** The answer of `POST /v1/webhooks/{id}/recover`: how many failed deliveries were sent again. */
export const recoveredSchema = z.strictObject({
  resent: z.int().min(0),
  delivery_ids: z.array(z.string()),
});
