import { z } from 'zod';
import { attemptSchema, deliverySchema } from './delivery-schema.js';

const headersSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** One attempt in full: what it sent and what came back. */
export const attemptDetailSchema = attemptSchema.extend({
  time_to_first_byte_ms: z.number().nullable().meta({
    description: "Milliseconds until the response's status and headers arrived; null without a response",
  }),
  request: z.strictObject({
    headers: headersSchema.nullable().meta({
      description:
        'The headers sent, signature included (HTTP adds host, content-length, connection); null for attempts logged by an older version',
    }),
    body: z
      .string()
      .nullable()
      .meta({ description: "The exact body sent: the event's stored body, the same on every attempt" }),
  }),
  response: z
    .strictObject({
      status: z.int(),
      headers: headersSchema.nullable(),
      body: z.string().meta({ description: 'The first 4 KB of the response body' }),
      truncated: z.boolean().meta({ description: 'True when the body was longer than what is kept' }),
    })
    .nullable()
    .meta({ description: 'Null when no response arrived; `error` says why' }),
});

/** A delivery with every attempt in full, as `GET /v1/deliveries/{id}` answers it. */
export const deliveryDetailSchema = deliverySchema.extend({ attempts: z.array(attemptDetailSchema) });
