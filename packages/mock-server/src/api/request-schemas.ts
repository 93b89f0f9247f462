import { decodeSecret, EVENT_TYPES } from '@caleida/verify';
import { z } from 'zod';
import { DELIVERY_STATUSES } from '../storage/delivery-store.js';
import { type UrlPolicy, urlProblem } from '../webhooks/url-problem.js';

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

const secret = z.string({ error: 'secret must be a string' }).superRefine((value, context) => {
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
    secret,
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

/** Body of `POST /v1/events`. `data` is checked against the event type's schema separately. */
export const triggerEventSchema = z.strictObject(
  {
    type: z.enum(EVENT_TYPES, { error: `type must be one of ${EVENT_TYPES.join(', ')}` }),
    data: z.record(z.string(), z.unknown(), { error: 'data must be a JSON object' }).optional(),
    id: z
      .string({ error: 'id must be a string' })
      .regex(/^[A-Za-z0-9_-]{1,200}$/, 'id must be 1 to 200 letters, digits, "_" or "-"')
      .optional(),
  },
  { error: 'the body must be a JSON object' },
);

const limit = z.coerce
  .number({ error: 'limit must be a number' })
  .int('limit must be a whole number')
  .min(1, 'limit must be at least 1')
  .max(1000, 'limit must be at most 1000')
  .default(50);

/** Query of `GET /v1/deliveries`. */
export const listDeliveriesQuery = z.object({
  webhook_id: z.string().optional(),
  event_id: z.string().optional(),
  status: z
    .enum(DELIVERY_STATUSES, { error: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
    .optional(),
  limit,
});

/** Query of `GET /v1/events`. */
export const listEventsQuery = z.object({
  type: z.enum(EVENT_TYPES, { error: `type must be one of ${EVENT_TYPES.join(', ')}` }).optional(),
  limit,
});
