import { afterEach, describe, expect, it, vi } from 'vitest';
import { EVENT_TYPES, eventSchemas, verify } from '../src/index.js';
import { buildConversation, buildEvent, signedRequest } from '../src/testing/index.js';
import { SECRET } from './helpers.js';

describe('@caleida/verify/testing', () => {
  it.each(EVENT_TYPES)('buildEvent(%j) is valid against its schema', (type) => {
    for (const seed of [1, 2, 3, 4, 5]) {
      expect(eventSchemas[type].safeParse(buildEvent(type, { seed })).success).toBe(true);
    }
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(EVENT_TYPES)(
    'buildEvent(%j) with a seed is that event of the conversation with the seed',
    (type) => {
      vi.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z'), toFake: ['Date'] });
      for (const seed of [1, 2, 3, 4, 5]) {
        expect(buildEvent(type, { seed })).toEqual(
          buildConversation({ seed }).find((event) => event.type === type),
        );
      }
    },
  );

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

  it('buildConversation() keeps giving the same events for a seed from one version to the next', () => {
    const events = buildConversation({ seed: 5, start: new Date('2026-05-01T10:00:00Z') });
    expect(events.map((event) => [event.type, event.timestamp, event.data.id])).toEqual([
      ['chat', '2026-05-01T10:00:00.000Z', 'chat_c5aiSuEmje0SItHkiF1n'],
      ['message', '2026-05-01T10:00:29.000Z', 'msg_dZJmb0vLLsFApHz0LlJe'],
      ['message', '2026-05-01T10:00:54.000Z', 'msg_4jWFv3jxHXrqZxhX6IW9'],
      ['message', '2026-05-01T10:01:31.000Z', 'msg_l84KndP6IxKhk6mvb6MO'],
      ['message', '2026-05-01T10:01:54.000Z', 'msg_QuJl3o6VpDa6MfFgEFzd'],
      ['insight.summary', '2026-05-01T10:02:46.000Z', 'ins_k2ce18KKdwarlH3A2EtS'],
      ['insight.topic', '2026-05-01T10:03:08.000Z', 'ins_maHtmyBGnGIl0eWGFfoY'],
      ['insight.key', '2026-05-01T10:04:10.000Z', 'ins_fQZC6NU3bSSNVMFQWeMF'],
      ['insight.conversation', '2026-05-01T10:05:26.000Z', 'ins_4Mg88z5WO8CyO1cglWEB'],
      ['insight.sentiment', '2026-05-01T10:06:47.000Z', 'ins_xV6gUJ6UzWBExCmia0Qv'],
    ]);
  });

  it('signedRequest() gives a body and headers that verify', () => {
    const request = signedRequest({ secret: SECRET, event: buildEvent('chat'), id: 'evt_t' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(verify({ secret: SECRET, payload: request.body, headers: request.headers }).id).toBe('evt_t');
  });
});
