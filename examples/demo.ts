/**
 * `pnpm demo`: a local Caleida (the mock server, on its SQLite file) delivers a whole conversation
 * to the Express example receiver, through the real registry API, signed and verified.
 * `pnpm demo --keep` leaves both running and prints the dashboard URL and the API key.
 */
import { parseArgs } from 'node:util';
import { startMockServer } from '@caleida/mock-server';
import { EVENT_TYPES, generateSecret, type ReceivedEvent } from '@caleida/verify';
import { buildConversation } from '@caleida/verify/testing';
import { startExpressReceiver } from './express-receiver.js';
import { checkPortFree } from './lib/check-port-free.js';
import { describeEvent } from './lib/describe-event.js';

const WEBHOOK_NAME = 'Demo receiver (Express)';

interface Delivery {
  id: string;
  event_type: string;
  status: string;
  attempts: { status_code: number | null; duration_ms: number; error: string | null }[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      keep: { type: 'boolean', default: false },
      port: { type: 'string', default: '4000' },
      'receiver-port': { type: 'string', default: '3000' },
      db: { type: 'string', default: '.caleida/mock.db' },
    },
  });
  const port = Number(values.port);
  const receiverPort = Number(values['receiver-port']);
  await checkPortFree(port, 'mock Caleida server', '--port');
  await checkPortFree(receiverPort, 'example receiver', '--receiver-port');

  const server = await startMockServer({ port, db: values.db });
  const secret = generateSecret();
  const received: ReceivedEvent[] = [];
  const receiver = await startExpressReceiver({
    secret,
    port: receiverPort,
    onEvent: (event) => {
      received.push(event);
      console.log(`  <- ${event.type.padEnd(20)} ${event.id}  ${describeEvent(event)}`);
    },
  });
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };

  console.log(`Mock Caleida server at ${server.url} (database ${values.db})`);
  console.log(`Express receiver at ${receiver.url}\n`);

  // The database outlives a run: reuse the demo's webhook, pointing it at this run's receiver and secret.
  const { data: webhooks } = await api<{ data: { id: string; name: string }[] }>('GET', '/v1/webhooks');
  const existing = webhooks.find((webhook) => webhook.name === WEBHOOK_NAME);
  const registration = { url: receiver.url, secret, events: [...EVENT_TYPES] };
  const webhook = existing
    ? await api<{ id: string }>('PATCH', `/v1/webhooks/${existing.id}`, { ...registration, status: 'active' })
    : await api<{ id: string }>('POST', '/v1/webhooks', { ...registration, name: WEBHOOK_NAME });
  console.log(`Registered webhook ${webhook.id} for all seven events. Playing a conversation:\n`);

  const conversation = buildConversation();
  const eventIds: string[] = [];
  for (const event of conversation) {
    const { event: stored } = await api<{ event: { id: string } }>('POST', '/v1/events', {
      type: event.type,
      data: event.data,
    });
    eventIds.push(stored.id);
  }
  const deadline = Date.now() + 20_000;
  while (received.length < conversation.length && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));

  console.log(`\nDelivery log, as the server saw it:\n`);
  for (const eventId of eventIds) {
    const { data } = await api<{ data: Delivery[] }>(
      'GET',
      `/v1/deliveries?event_id=${eventId}&webhook_id=${webhook.id}`,
    );
    for (const delivery of data) {
      const last = delivery.attempts.at(-1);
      console.log(
        `  ${delivery.event_type.padEnd(20)} ${delivery.id}  ${delivery.status.padEnd(9)} ${delivery.attempts.length} attempt(s), last ${last?.status_code ?? last?.error ?? '-'} in ${last?.duration_ms ?? '-'} ms`,
      );
    }
  }
  const delivered = received.length === conversation.length;
  console.log(`\n${received.length} of ${conversation.length} events received and verified.`);

  if (values.keep) {
    console.log(`\nDashboard: ${server.url}/integrations/webhook`);
    console.log(`API key:   ${server.apiKey}`);
    console.log('Both keep running; press Ctrl-C to stop.');
    process.once('SIGINT', () => {
      void Promise.all([receiver.close(), server.close()]).then(() => process.exit(0));
    });
    return;
  }
  await receiver.close();
  await server.close();
  if (!delivered) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
