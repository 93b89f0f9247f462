import type { DeliveryStatus } from '../storage/delivery-store.js';

/** What a delivery looked like when a wait gave up. */
export interface WaitedDelivery {
  id: string;
  status: DeliveryStatus;
  attempt_count: number;
  attempts: Array<{ error: string | null; status_code: number | null }>;
}

/**
 * `client.deliveries.waitFor()` reached its timeout: `arrived` lists every matching delivery with
 * its status, attempts and last error, and the message says the same.
 */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  readonly arrived: WaitedDelivery[];

  constructor(what: string, timeoutMs: number, arrived: WaitedDelivery[]) {
    const lines = arrived.map((delivery) => {
      const last = delivery.attempts.at(-1);
      const lastError = last
        ? (last.error ?? (last.status_code !== null ? `HTTP ${last.status_code}` : 'none'))
        : 'no attempt yet';
      return `  ${delivery.id}: ${delivery.status}, ${delivery.attempt_count} attempt(s), last: ${lastError}`;
    });
    super(
      `Timed out after ${timeoutMs} ms waiting for ${what}; ${arrived.length === 0 ? 'no matching delivery exists yet' : `what arrived:\n${lines.join('\n')}`}`,
    );
    this.arrived = arrived;
  }
}
