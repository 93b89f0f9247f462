import { generateSecret } from '@caleida/verify';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createEffectsTable, type EffectsTable } from './support/effects-table.js';
import { sendEvent } from './support/send-event.js';
import { sharedStoreFor } from './support/shared-store.js';
import { type ReceiverProcess, startReceiverProcess } from './support/start-receiver-process.js';

const LEASE_SECONDS = 2;

describe.each(['redis', 'postgres'] as const)('a receiver killed mid-handler, on the %s store', (store) => {
  const tag = `crash_${store}_${Date.now().toString(36)}`;
  const secret = generateSecret();
  const id = `msg_${tag}`;
  let crashing: ReceiverProcess;
  let survivor: ReceiverProcess;
  let effects: EffectsTable;

  beforeAll(async () => {
    effects = await createEffectsTable(inject('postgresUrl'));
    const { url, prefix } = await sharedStoreFor(store, tag);
    const env = {
      RECEIVER_STORE: store,
      RECEIVER_SECRET: secret,
      STORE_URL: url,
      STORE_PREFIX: prefix,
      EFFECTS_URL: inject('postgresUrl'),
      EFFECTS_TABLE: effects.name,
      LEASE_SECONDS: String(LEASE_SECONDS),
    };
    [crashing, survivor] = await Promise.all([
      startReceiverProcess({ ...env, RECEIVER_FRAMEWORK: 'express', HANG_ON_ID: id }),
      startReceiverProcess({ ...env, RECEIVER_FRAMEWORK: 'fastify' }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([crashing?.kill('SIGKILL'), survivor?.kill('SIGKILL')]);
    await effects?.close();
  });

  it('lets the retry run on the other process once the lease lapsed, and not before', async () => {
    const first = sendEvent(crashing.url, secret, id).catch((error: Error) => error);
    await crashing.printed(`handling ${id}`);
    const claimedAt = Date.now();
    expect((await sendEvent(survivor.url, secret, id)).status).toBe(409);
    await crashing.kill('SIGKILL');
    expect(await first).toBeInstanceOf(Error);

    // Retried as Caleida would, until the lease lapses: every answer before the 200 is a 409.
    const statuses: number[] = [];
    await vi.waitFor(
      async () => {
        statuses.push((await sendEvent(survivor.url, secret, id)).status);
        expect(statuses.at(-1)).toBe(200);
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(statuses.slice(0, -1).filter((status) => status !== 409)).toEqual([]);
    // Up to a few ms early: the store's clock started the lease slightly before our claimedAt.
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(LEASE_SECONDS * 1000 - 250);
    expect(await effects.runsById()).toEqual(new Map([[id, 1]]));
    const again = await sendEvent(survivor.url, secret, id);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(await effects.runsById()).toEqual(new Map([[id, 1]]));
  }, 30_000);
});
