import type { ReceivedEvent } from '@caleida/verify';

/** One line about an event, reading its typed fields: what a receiver would log. */
export function describeEvent(event: ReceivedEvent): string {
  switch (event.type) {
    case 'chat':
      return `new ${event.data.channel} chat ${event.data.id} with ${event.data.customer.name ?? event.data.customer.id}`;
    case 'message':
      return `${event.data.role}: ${event.data.content}`;
    case 'insight.summary':
      return `summary (${event.data.language}): ${event.data.summary}`;
    case 'insight.topic':
      return `topics: ${event.data.topics.map((topic) => `${topic.name} ${Math.round(topic.confidence * 100)}%`).join(', ')}`;
    case 'insight.key':
      return `key points: ${event.data.key_points.map((point) => point.text).join('; ')}`;
    case 'insight.conversation':
      return `${event.data.message_count} messages in ${event.data.duration_seconds} s, ${event.data.resolved ? 'resolved' : 'not resolved'}`;
    case 'insight.sentiment':
      return `sentiment ${event.data.sentiment} (${event.data.score})`;
    case 'unknown':
      return `an event type this version does not know: ${event.receivedType}`;
  }
}
