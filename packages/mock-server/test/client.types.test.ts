import { describe, expectTypeOf, it } from 'vitest';
import { createMockClient, type Delivery, type MockClient, type Webhook } from '../src/client/index.js';

// Never called: these lines only have to compile (tsc -b checks them, vitest runs the file).
const typeOnly = (client: MockClient) => {
  // @ts-expect-error a wrong field name: `event` is not a field of a webhook
  void client.webhooks.create({ url: 'https://example.com', name: 'x', secret: 'whsec_x', event: ['chat'] });
  // @ts-expect-error a wrong event type
  void client.events.trigger('chats', {});
  // @ts-expect-error a wrong delivery status
  void client.deliveries.waitFor({ eventId: 'evt_1', status: 'done' });
  // @ts-expect-error waitFor needs an eventId or a webhookId
  void client.deliveries.waitFor({ status: 'succeeded' });
  // @ts-expect-error a wrong status in a list filter
  void client.deliveries.list({ status: 'ok' });
};

describe('the client types follow the API schemas', () => {
  it('answers are typed from the response schemas', () => {
    const client = createMockClient({ url: 'http://127.0.0.1:1', apiKey: 'k' });
    expectTypeOf(client.webhooks.get).returns.resolves.toEqualTypeOf<Webhook>();
    expectTypeOf<Webhook['status']>().toEqualTypeOf<'active' | 'disabled'>();
    expectTypeOf<Webhook['disabled_reason']>().toEqualTypeOf<string | null>();
    expectTypeOf(client.deliveries.waitFor).returns.resolves.toEqualTypeOf<Delivery[]>();
    expectTypeOf<Delivery['status']>().toEqualTypeOf<
      'pending' | 'in_flight' | 'succeeded' | 'failed' | 'cancelled'
    >();
    expectTypeOf(client.events.trigger)
      .parameter(0)
      .toEqualTypeOf<
        | 'chat'
        | 'message'
        | 'insight.summary'
        | 'insight.topic'
        | 'insight.key'
        | 'insight.conversation'
        | 'insight.sentiment'
      >();
    expectTypeOf(client.webhooks.create).parameter(0).toHaveProperty('events');
    expectTypeOf(typeOnly).toBeFunction();
  });
});
