/** The seven events Caleida sends, in the order the dashboard lists them. */
export const EVENT_TYPES = [
  'chat',
  'message',
  'insight.summary',
  'insight.topic',
  'insight.key',
  'insight.conversation',
  'insight.sentiment',
] as const;

/** One of the seven event types. */
export type EventType = (typeof EVENT_TYPES)[number];

/** Whether a string names one of the seven event types. */
export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && KNOWN.has(value);
}

const KNOWN: ReadonlySet<string> = new Set(EVENT_TYPES);
