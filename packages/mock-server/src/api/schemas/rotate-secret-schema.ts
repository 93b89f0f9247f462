import { z } from 'zod';
import { DEFAULT_GRACE_PERIOD_SECONDS, MAX_GRACE_PERIOD_SECONDS } from '../../webhooks/rotate-secret.js';
import { secretSchema } from './webhook-schema.js';

/**
 * The body of `PUT /v1/webhooks/{id}/secret`: the new secret (generated when left out) and how long
 * the replaced one keeps signing beside it.
 */
export const rotateSecretSchema = z.strictObject(
  {
    secret: secretSchema.optional(),
    grace_period_seconds: z
      .number({ error: 'grace_period_seconds must be a number of seconds, e.g. 3600' })
      .int('grace_period_seconds must be a whole number of seconds')
      .min(0, 'grace_period_seconds must be 0 (switch at once) or more')
      .max(
        MAX_GRACE_PERIOD_SECONDS,
        `grace_period_seconds must be at most ${MAX_GRACE_PERIOD_SECONDS} (7 days)`,
      )
      .default(DEFAULT_GRACE_PERIOD_SECONDS),
  },
  {
    error: 'the body must be a JSON object: { "secret"?: "whsec_…", "grace_period_seconds"?: 86400 }',
  },
);
