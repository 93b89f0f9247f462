import type { WebhookEvent, WebhookEventOf } from '../events/event.js';
import { createRandom } from './random.js';
import { AGENTS, CUSTOMERS, SCRIPTS } from './scripts.js';

/** Options of `buildConversation()`. */
export interface ConversationOptions {
  /** Same seed, same events (ids, content and times). Default: random. */
  seed?: number;
  /** When the chat starts. Default: now minus the conversation's length. */
  start?: Date;
}

/**
 * A realistic conversation in causal order, with consistent ids: the `chat`, each `message`, then
 * the five insights about it.
 *
 * @example
 * for (const event of buildConversation({ seed: 7 })) await send(event);
 */
export function buildConversation(options: ConversationOptions = {}): WebhookEvent[] {
  return [...conversationEvents(options)];
}

/**
 * The events of `buildConversation()` one at a time, in the same order and with the same values
 * for a seed, so that a caller wanting one event (`buildEvent()`) stops building at it.
 */
export function* conversationEvents({ seed, start }: ConversationOptions = {}): Generator<WebhookEvent> {
  const random = createRandom(seed);
  const script = random.pick(SCRIPTS);
  const customer = random.pick(CUSTOMERS);
  const agent = random.pick(AGENTS);
  const chatId = random.id('chat');
  const customerId = random.id('cus');
  let clock = (start ?? new Date(Date.now() - 60_000 * (script.lines.length + 2))).getTime();
  const at = (): string => new Date(clock).toISOString();
  const tick = (): string => {
    clock += random.int(20, 90) * 1000;
    return at();
  };

  const chatStart = at();
  const chat: WebhookEventOf<'chat'> = {
    type: 'chat',
    timestamp: chatStart,
    data: {
      id: chatId,
      created_at: chatStart,
      channel: script.channel,
      customer: { id: customerId, name: customer.name, email: customer.email },
      metadata: { topic_hint: script.topic, locale: 'en-US' },
    },
  };
  yield chat;
  let firstResponseSeconds: number | null = null;
  for (const line of script.lines) {
    const created = tick();
    if (firstResponseSeconds === null && line.role !== 'customer') {
      firstResponseSeconds = Math.round((clock - Date.parse(chatStart)) / 1000);
    }
    const author =
      line.role === 'customer'
        ? { id: customerId, name: customer.name }
        : line.role === 'agent'
          ? { id: agent.id, name: agent.name }
          : { id: 'bot_caleida', name: 'Caleida Assistant' };
    yield {
      type: 'message',
      timestamp: created,
      data: {
        id: random.id('msg'),
        chat_id: chatId,
        created_at: created,
        role: line.role,
        author,
        content: line.content,
      },
    };
  }
  const durationSeconds = Math.round((clock - Date.parse(chatStart)) / 1000);
  const insight = () => {
    const created = tick();
    return { timestamp: created, base: { id: random.id('ins'), chat_id: chatId, created_at: created } };
  };
  const summary = insight();
  yield {
    type: 'insight.summary',
    timestamp: summary.timestamp,
    data: { ...summary.base, summary: script.summary, language: 'en' },
  };
  const topic = insight();
  yield {
    type: 'insight.topic',
    timestamp: topic.timestamp,
    data: {
      ...topic.base,
      topics: [
        { name: script.topic, confidence: 0.93 },
        { name: 'Customer experience', confidence: 0.41 },
      ],
    },
  };
  const key = insight();
  yield {
    type: 'insight.key',
    timestamp: key.timestamp,
    data: { ...key.base, key_points: [...script.keyPoints] },
  };
  const conversation = insight();
  yield {
    type: 'insight.conversation',
    timestamp: conversation.timestamp,
    data: {
      ...conversation.base,
      message_count: script.lines.length,
      duration_seconds: durationSeconds,
      first_response_seconds: firstResponseSeconds,
      resolved: script.resolved,
    },
  };
  const sentiment = insight();
  yield {
    type: 'insight.sentiment',
    timestamp: sentiment.timestamp,
    data: { ...sentiment.base, sentiment: script.sentiment, score: script.score },
  };
}
