import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { caleidaWebhook } from '@caleida/express-middleware';
import { generateSecret } from '@caleida/verify';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServerProcess, startMockServerProcess } from './support/start-mock-server-process.js';

/** One deployment of the receiver: an Express app holding one secret, on a given port. */
interface Deployment {
  port: number;
  /** Event ids this deployment accepted. */
  accepted: string[];
  close(): Promise<void>;
}

async function deploy(secret: string, port: number): Promise<Deployment> {
  const accepted: string[] = [];
  const app = express();
  app.post('/webhooks/caleida', caleidaWebhook({ secret }), (req, res) => {
    accepted.push(req.webhook.id);
    res.sendStatus(204);
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    accepted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('secret rotation with a grace period, end to end', () => {
  let server: MockServerProcess | undefined;
  const deployments: Deployment[] = [];
  // Started once, so its start-up on a busy machine does not count against the test's time limit.
  beforeAll(async () => {
    server = await startMockServerProcess();
  });
  afterAll(async () => {
    await Promise.all(deployments.splice(0).map((deployment) => deployment.close()));
    await server?.stop();
  });

  it('a receiver redeployed with only the new secret midway through the grace period misses nothing: every delivery succeeds on its first attempt', async () => {
    const mock = server;
    if (!mock) throw new Error('the mock server did not start');
    const oldSecret = generateSecret();
    const newSecret = generateSecret();
    const before = await deploy(oldSecret, 0);
    deployments.push(before);
    const url = `http://127.0.0.1:${before.port}/webhooks/caleida`;
    const webhook = await mock.client.webhooks.create({
      name: 'rotating with grace',
      url,
      secret: oldSecret,
      events: ['message'],
    });
    const trigger = async () => (await mock.client.events.trigger('message', {})).event.id;
    // Resolves once `count` deliveries succeeded; one that failed instead keeps it waiting until it
    // times out, listing what arrived.
    const succeeded = (count: number) =>
      mock.client.deliveries.waitFor({
        webhookId: webhook.id,
        status: 'succeeded',
        count,
        timeoutMs: 15_000,
      });

    const ids = [await trigger()];
    const rotated = await mock.client.webhooks.rotateSecret(webhook.id, {
      secret: newSecret,
      grace_period_seconds: 3600,
    });
    expect(rotated.secret_rotation?.previous_secret_expires_at).toEqual(expect.any(String));

    let after: Deployment | undefined;
    for (let i = 0; i < 30; i++) {
      if (i === 15) {
        // Redeploy: the old process is stopped once it has answered what it was sent, and the new
        // one, holding only the new secret, takes the same port.
        await succeeded(ids.length);
        await before.close();
        after = await deploy(newSecret, before.port);
        deployments.push(after);
      }
      ids.push(await trigger());
    }

    await succeeded(31);
    expect(ids.filter((id) => !before.accepted.includes(id) && !after?.accepted.includes(id))).toEqual([]);
    const { data: deliveries } = await mock.client.deliveries.list({ webhookId: webhook.id, limit: 1000 });
    expect(deliveries).toHaveLength(31);
    for (const delivery of deliveries) {
      expect(delivery.status).toBe('succeeded');
      expect(delivery.attempts.map((attempt) => attempt.status_code)).toEqual([204]);
    }
    // Both deployments took calls signed during the grace period: the old one by the previous
    // secret, the new one by the current secret.
    expect(before.accepted.length).toBeGreaterThanOrEqual(16);
    expect(after?.accepted.length).toBe(15);
  });
});
