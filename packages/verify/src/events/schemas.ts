import { z } from 'zod';
import type { EventType } from './event-types.js';

const id = z.string().min(1).max(200);
const timestamp = z.iso.datetime({ offset: true });
const insightBase = { id, chat_id: id, created_at: timestamp };

/** `data` of a `chat` event: a new chat was created. */
export const chatDataSchema = z.object({
  id,
  created_at: timestamp,
  channel: z.string().min(1).describe('Where the chat happens: web, email, whatsapp, sms, voice, api, ...'),
  customer: z.object({
    id,
    name: z.string().optional(),
    email: z.email().optional(),
  }),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

/** `data` of a `message` event: a new message in a chat. */
export const messageDataSchema = z.object({
  id,
  chat_id: id,
  created_at: timestamp,
  role: z.enum(['customer', 'agent', 'bot', 'system']),
  author: z.object({ id, name: z.string().optional() }).optional(),
  content: z.string(),
});

/** `data` of an `insight.summary` event. */
export const summaryInsightDataSchema = z.object({
  ...insightBase,
  summary: z.string(),
  language: z.string().min(2).max(35).describe('BCP 47 language tag, e.g. en or pt-BR'),
});

/** `data` of an `insight.topic` event. */
export const topicInsightDataSchema = z.object({
  ...insightBase,
  topics: z.array(z.object({ name: z.string().min(1), confidence: z.number().min(0).max(1) })),
});

/** `data` of an `insight.key` event. */
export const keyInsightDataSchema = z.object({
  ...insightBase,
  key_points: z.array(z.object({ text: z.string().min(1), category: z.string().optional() })),
});

/** `data` of an `insight.conversation` event: metrics of the whole conversation. */
export const conversationInsightDataSchema = z.object({
  ...insightBase,
  message_count: z.int().min(0),
  duration_seconds: z.number().min(0),
  first_response_seconds: z.number().min(0).nullable(),
  resolved: z.boolean(),
});

/** `data` of an `insight.sentiment` event. */
export const sentimentInsightDataSchema = z.object({
  ...insightBase,
  sentiment: z.enum(['positive', 'neutral', 'negative', 'mixed']),
  score: z.number().min(-1).max(1),
});

/** The `data` schema of each event type. */
export const dataSchemas = {
  chat: chatDataSchema,
  message: messageDataSchema,
  'insight.summary': summaryInsightDataSchema,
  'insight.topic': topicInsightDataSchema,
  'insight.key': keyInsightDataSchema,
  'insight.conversation': conversationInsightDataSchema,
  'insight.sentiment': sentimentInsightDataSchema,
} as const satisfies Record<EventType, z.ZodType>;

function envelope<T extends EventType>(type: T) {
  return z.object({ type: z.literal(type), timestamp, data: dataSchemas[type] });
}

/** The whole body of each event type: `{ type, timestamp, data }`. */
export const eventSchemas = {
  chat: envelope('chat'),
  message: envelope('message'),
  'insight.summary': envelope('insight.summary'),
  'insight.topic': envelope('insight.topic'),
  'insight.key': envelope('insight.key'),
  'insight.conversation': envelope('insight.conversation'),
  'insight.sentiment': envelope('insight.sentiment'),
} as const satisfies Record<EventType, z.ZodType>;

/** Any body: a known event (validated by its own schema) or an unknown type, kept as it came. */
export const envelopeSchema = z.object({ type: z.string().min(1), timestamp, data: z.unknown() });
