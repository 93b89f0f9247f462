import type { ReplayStore } from '@caleida/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A store under test: opened once per suite, closed after it. */
export interface StoreUnderTest {
  store: ReplayStore;
  close(): Promise<void>;
}

/** How a store is opened for the contract; `prefix` keeps each suite's ids apart in a shared server. */
export interface StoreFactory {
  name: string;
  open(prefix: string): Promise<StoreUnderTest>;
}

/** Lets a lease run out in the store's own clock, which nothing can be asked about without claiming. */
const letTimePass = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LEASE = { leaseSeconds: 60 };
const RETAIN = { retentionSeconds: 60 };

async function claimNew(store: ReplayStore, id: string, options = LEASE): Promise<string> {
  const claim = await store.claim(id, options);
  if (claim.state !== 'new') throw new Error(`expected ${id} to be new, it was ${claim.state}`);
  return claim.token;
}

/** Waits until a short lease or retention has lapsed in the store's own clock. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within 5 s`);
    await letTimePass(50);
  }
}

/** The behaviour every ReplayStore must have; each store's test file calls this once. */
export function describeReplayStoreContract(factory: StoreFactory): void {
  describe(`${factory.name} keeps the ReplayStore contract`, () => {
    let opened: StoreUnderTest;
    let store: ReplayStore;
    let n = 0;
    const freshId = () => `evt_${Date.now().toString(36)}_${++n}`;

    beforeAll(async () => {
      opened = await factory.open(
        `contract-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}:`,
      );
      store = opened.store;
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('claim() gives a new id a token, then answers in_flight, then processed after complete()', async () => {
      const id = freshId();
      const token = await claimNew(store, id);
      expect(typeof token).toBe('string');
      expect(await store.claim(id, LEASE)).toEqual({ state: 'in_flight' });
      await store.complete(id, token, RETAIN);
      expect(await store.claim(id, LEASE)).toEqual({ state: 'processed' });
    });

    it('release() with the claim token frees the id for the next copy', async () => {
      const id = freshId();
      const token = await claimNew(store, id);
      await store.release(id, token);
      expect((await store.claim(id, LEASE)).state).toBe('new');
    });

    it('release() and complete() with another token leave the claim alone', async () => {
      const id = freshId();
      const token = await claimNew(store, id);
      await store.release(id, 'not-the-token');
      await store.complete(id, 'not-the-token', RETAIN);
      expect(await store.claim(id, LEASE)).toEqual({ state: 'in_flight' });
      await store.complete(id, token, RETAIN);
      expect(await store.claim(id, LEASE)).toEqual({ state: 'processed' });
    });

    it('a claim lapses after its lease; then only the new holder settles it', async () => {
      const id = freshId();
      const stale = await claimNew(store, id, { leaseSeconds: 0.3 });
      let fresh = '';
      await until(async () => {
        const claim = await store.claim(id, LEASE);
        if (claim.state === 'new') fresh = claim.token;
        return claim.state === 'new';
      }, 'the lease did not lapse');
      expect(fresh).not.toBe(stale);
      await store.release(id, stale);
      await store.complete(id, stale, RETAIN);
      expect(await store.claim(id, LEASE)).toEqual({ state: 'in_flight' });
      await store.complete(id, fresh, RETAIN);
      expect(await store.claim(id, LEASE)).toEqual({ state: 'processed' });
    });

    it('complete() after the lease lapsed, with nobody holding the id, still marks it processed', async () => {
      const id = freshId();
      const token = await claimNew(store, id, { leaseSeconds: 0.2 });
      await letTimePass(400);
      await store.complete(id, token, RETAIN);
      expect(await store.claim(id, LEASE)).toEqual({ state: 'processed' });
    });

    it('forgets a processed id after its retention', async () => {
      const id = freshId();
      const token = await claimNew(store, id);
      await store.complete(id, token, { retentionSeconds: 0.3 });
      expect(await store.claim(id, LEASE)).toEqual({ state: 'processed' });
      await until(async () => (await store.claim(id, LEASE)).state === 'new', 'the retention did not end');
    });

    it('gives one of 50 simultaneous claims of an id the token, and in_flight to the others', async () => {
      const id = freshId();
      const claims = await Promise.all(Array.from({ length: 50 }, () => store.claim(id, LEASE)));
      expect(claims.filter((claim) => claim.state === 'new')).toHaveLength(1);
      expect(claims.filter((claim) => claim.state === 'in_flight')).toHaveLength(49);
    });

    it('keeps ids apart whatever their characters', async () => {
      const base = freshId();
      const ids = [`${base}`, `${base}:x`, `${base}{x}`, `${base} é ✓`, `${base}${'x'.repeat(300)}`];
      for (const id of ids) expect((await store.claim(id, LEASE)).state).toBe('new');
      for (const id of ids) expect((await store.claim(id, LEASE)).state).toBe('in_flight');
    });
  });
}
