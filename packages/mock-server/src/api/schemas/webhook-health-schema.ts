import { z } from 'zod';
import { isoTimeSchema } from './iso-time-schema.js';

/** A webhook's endpoint health as `GET /v1/webhooks` and `GET /v1/webhooks/{id}` show it. */
export const webhookHealthSchema = z
  .strictObject({
    success_rate: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe('Share of its latest (up to 100) attempts that got a 2xx; null before the first attempt.'),
    attempts: z.number().int().nonnegative().describe('Attempts counted: its latest, up to 100.'),
    failures: z.number().int().nonnegative().describe('Of those, the ones that did not get a 2xx.'),
    failing_since: isoTimeSchema
      .nullable()
      .describe(
        'When its first failed attempt since its last success was made; null while attempts succeed.',
      ),
    disabled_reason: z
      .string()
      .nullable()
      .describe(
        'Why it is disabled: "failing" when the server disabled it for failing, else the reason given.',
      ),
  })
  .meta({
    example: { success_rate: 0.97, attempts: 100, failures: 3, failing_since: null, disabled_reason: null },
  });
