import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, eventSchemas, verify } from '../src/index.js';
import { buildConversation, buildEvent, signedRequest } from '../src/testing/index.js';
import { SECRET } from './helpers.js';

describe('@caleida/verify/testing', () => {
  it.each(EVENT_TYPES)('buildEvent(%j) is valid against its schema', (type) => {
    for (const seed of [1, 2, 3, 4, 5]) {
      expect(eventSchemas[type].safeParse(buildEvent(type, { seed })).success).toBe(true);
    }
  });

  it('buildEvent() applies data overrides', () => {
    const event = buildEvent('insight.sentiment', { data: { sentiment: 'negative', score: -0.9 } });
    expect(event.data).toMatchObject({ sentiment: 'negative', score: -0.9 });
  });

  it('buildConversation() gives a chat, its messages, then its five insights, all with the chat id', () => {
    const events = buildConversation({ seed: 11 });
    expect(events[0]?.type).toBe('chat');
    const chatId = events[0]?.data.id;
    const types = events.map((event) => event.type);
    expect(types.slice(-5)).toEqual(EVENT_TYPES.slice(2));
    expect(types.slice(1, -5).every((type) => type === 'message')).toBe(true);
    for (const event of events.slice(1)) expect((event.data as { chat_id: string }).chat_id).toBe(chatId);
    const times = events.map((event) => Date.parse(event.timestamp));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('buildConversation() with the same seed gives the same events; another seed, other ids', () => {
    const start = new Date('2026-05-01T10:00:00Z');
    expect(buildConversation({ seed: 5, start })).toEqual(buildConversation({ seed: 5, start }));
    expect(buildConversation({ seed: 6, start })[0]?.data.id).not.toBe(
      buildConversation({ seed: 5, start })[0]?.data.id,
    );
  });

  it('signedRequest() gives a body and headers that verify', () => {
    const request = signedRequest({ secret: SECRET, event: buildEvent('chat'), id: 'evt_t' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(verify({ secret: SECRET, payload: request.body, headers: request.headers }).id).toBe('evt_t');
  });
});
