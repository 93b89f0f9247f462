import type { FastifyRequest } from 'fastify';
import type { DeliveryRecord, DeliveryStatus } from '../storage/delivery-store.js';
import { ApiError } from './api-error.js';
import type { MockContext } from './mock-context.js';

/** Most long-polls open at once; one more gets 429. */
export const MAX_WAITERS = 100;

/** Most deliveries one long-poll looks at and answers with. */
const MAX_MATCHED = 1000;

/** What `waitForDeliveries()` waits for. */
export interface WaitRequest {
  eventId?: string;
  webhookId?: string;
  status: DeliveryStatus;
  count: number;
  timeoutMs: number;
}

/** The long-polls open now, each released when the server closes. */
export type Waiters = Set<() => void>;

/**
 * Waits until `count` deliveries matching the request are in `status`, re-reading them each time
 * the engine writes outcomes or an API call changes a status (no polling), and answers at the
 * timeout, when the client goes away, or when the server closes, with what there is. Each wait
 * taken up is logged at debug level with the number open.
 */
export async function waitForDeliveries(
  context: MockContext,
  waiters: Waiters,
  wait: WaitRequest,
  request: FastifyRequest,
): Promise<{ timed_out: boolean; data: DeliveryRecord[] }> {
  const read = () =>
    context.deliveries.list({
      eventId: wait.eventId,
      webhookId: wait.webhookId,
      status: undefined,
      limit: MAX_MATCHED,
    });
  const done = (all: DeliveryRecord[]) => all.filter((delivery) => delivery.status === wait.status);
  const first = done(read());
  if (first.length >= wait.count) return { timed_out: false, data: first };
  if (waiters.size >= MAX_WAITERS) {
    throw new ApiError(
      'too_many_waiters',
      `${MAX_WAITERS} long-polls are open already; wait for one to end, then ask again.`,
    );
  }
  const changes = context.deliveryChanges;
  const socket = request.raw.socket;
  return new Promise((resolve) => {
    const finish = (timedOut: boolean) => {
      clearTimeout(timer);
      changes?.off('change', check);
      socket.off('close', clientGone);
      waiters.delete(release);
      const all = read();
      const matched = done(all);
      // The condition is checked once more at the deadline: a status written without a wake-up
      // (a delivery the engine claims, one failed as its webhook was disabled for failing) still
      // ends the wait as met.
      const met = matched.length >= wait.count;
      resolve(met || !timedOut ? { timed_out: false, data: matched } : { timed_out: true, data: all });
    };
    const check = () => {
      if (done(read()).length >= wait.count) finish(false);
    };
    const release = () => finish(true);
    const clientGone = () => {
      request.log.debug({ openWaits: waiters.size - 1 }, 'long-poll released: the client went away');
      release();
    };
    const timer = setTimeout(release, wait.timeoutMs);
    changes?.on('change', check);
    // A client that goes away releases its waiter at once (the answer then goes nowhere).
    socket.on('close', clientGone);
    waiters.add(release);
    request.log.debug({ openWaits: waiters.size }, 'long-poll waiting');
  });
}
