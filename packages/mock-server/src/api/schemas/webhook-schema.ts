import { decodeSecret, EVENT_TYPES } from '@caleida/verify';
import { z } from 'zod';
import { type UrlPolicy, urlProblem } from '../../webhooks/url-problem.js';
import { isoTimeSchema } from './iso-time-schema.js';
import { webhookHealthSchema } from './webhook-health-schema.js';

const eventList = z
  .array(z.enum(EVENT_TYPES, { error: `each event must be one of ${EVENT_TYPES.join(', ')}` }), {
    error: `events must be a list of event types, e.g. ["chat", "message"]`,
  })
  .min(1, 'choose at least one event')
  // Checked before the items, so a huge list is refused without a problem per item.
  .max(EVENT_TYPES.length, `list at most the ${EVENT_TYPES.length} event types, each once`)
  .refine((events) => new Set(events).size === events.length, 'each event may be listed only once');

/** Longest secret accepted; a `whsec_` one is at most 94 characters. */
const MAX_SECRET_LENGTH = 512;

/** A webhook secret as every route accepts it (`whsec_` and base64, or plain base64). */
export const secretSchema = z.string({ error: 'secret must be a string' }).superRefine((value, context) => {
  if (value.length > MAX_SECRET_LENGTH) {
    context.addIssue({
      code: 'custom',
      message: `the secret is ${value.length} characters long; use at most ${MAX_SECRET_LENGTH} (a whsec_ secret of 24 to 64 random bytes is best)`,
    });
    return;
  }
  try {
    decodeSecret(value);
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: (error as Error).message.replace(/^Invalid webhook secret: /, ''),
    });
  }
});

const name = z
  .string({ error: 'name must be a string' })
  .trim()
  .min(1, 'name must not be empty')
  .max(100, 'name must be at most 100 characters');

function webhookFields(policy: UrlPolicy) {
  return {
    // Stored as the URL parser reads it (http://127.1 is http://127.0.0.1/): what is shown is
    // what was checked and what is called.
    url: z.string({ error: 'url must be a string' }).transform((value, context) => {
      const problem = urlProblem(value, policy);
      if (!problem) return new URL(value).href;
      context.issues.push({ code: 'custom', message: `url ${problem}`, input: value });
      return z.NEVER;
    }),
    name,
    secret: secretSchema,
    events: eventList,
  };
}

/** Body of `POST /v1/webhooks`; `policy` says which URLs are accepted. */
export function createWebhookSchema(policy: UrlPolicy) {
  return z.strictObject(webhookFields(policy), { error: 'the body must be a JSON object' });
}

/** Body of `PATCH /v1/webhooks/:id`: any of the fields, and `status` to disable or re-enable. */
export function updateWebhookSchema(policy: UrlPolicy) {
  return z
    .strictObject(webhookFields(policy), { error: 'the body must be a JSON object' })
    .extend({ status: z.enum(['active', 'disabled'], { error: 'status must be "active" or "disabled"' }) })
    .partial();
}

/** A rotation in progress, as a webhook shows it; null when only the current secret signs. */
const secretRotationSchema = z
  .strictObject({
    previous_secret_hint: z.string().meta({ example: 'whsec_cd…zw' }),
    previous_secret_expires_at: isoTimeSchema,
  })
  .nullable()
  .meta({ description: 'Set while the previous secret still signs beside the current one.' });

/** A webhook as the API shows it: the secret only as a masked hint. */
export const webhookSchema = z.strictObject({
  id: z.string().meta({ example: 'wh_4f9K2pQ8xZ1aB3cD5eF7' }),
  name: z.string(),
  url: z.string(),
  events: z.array(z.enum(EVENT_TYPES)),
  status: z.enum(['active', 'disabled']),
  disabled_reason: z.string().nullable(),
  secret_hint: z.string().meta({ example: 'whsec_ab…xy' }),
  secret_rotation: secretRotationSchema,
  created_at: isoTimeSchema,
  updated_at: isoTimeSchema,
  health: webhookHealthSchema,
});

/** The answer of `GET /v1/webhooks`. */
export const webhookListSchema = z.strictObject({ data: z.array(webhookSchema) });

/** The answer of `GET /v1/webhooks/{id}/secret`: the secret itself, shown on purpose. */
export const webhookSecretSchema = z.strictObject({ secret: z.string() });
