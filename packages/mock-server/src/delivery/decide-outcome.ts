import type { AttemptOutcome, ClaimedDelivery } from '../storage/delivery-store.js';
import { delayBeforeAttempt } from './retry-schedule.js';
import type { AttemptResult } from './send-attempt.js';

/** The retry policy `decideOutcome()` applies. */
export interface RetryPolicy {
  retrySchedule: readonly number[];
  retryJitter: number;
  random: () => number;
}

/**
 * What an attempt means for its delivery: any 2xx succeeds; 410 fails for good; otherwise the next
 * attempt of the schedule (or `Retry-After` on a 429/503), or failed when the schedule is used up.
 */
export function decideOutcome(
  delivery: ClaimedDelivery,
  number: number,
  startedAt: number,
  result: AttemptResult,
  { retrySchedule, retryJitter, random }: RetryPolicy,
): AttemptOutcome {
  const attempt = {
    number,
    startedAt,
    durationMs: result.durationMs,
    statusCode: result.statusCode,
    error: result.error,
    responseExcerpt: result.responseExcerpt,
    responseTruncated: result.responseTruncated,
    requestHeaders: result.requestHeaders,
    responseHeaders: result.responseHeaders,
    firstByteMs: result.firstByteMs,
  };
  const deliveryId = delivery.id;
  const code = result.statusCode;
  if (code !== null && code >= 200 && code < 300)
    return { deliveryId, attempt, status: 'succeeded', nextAttemptAt: null };
  if (code === 410) return { deliveryId, attempt, status: 'failed', nextAttemptAt: null };
  // A refused address is refused again on every retry until the webhook or its DNS is fixed.
  if (result.addressRefused) return { deliveryId, attempt, status: 'failed', nextAttemptAt: null };
  const scheduled = delayBeforeAttempt(retrySchedule, number + 1, retryJitter, random);
  if (scheduled === null) return { deliveryId, attempt, status: 'failed', nextAttemptAt: null };
  const honoured =
    (code === 429 || code === 503) && result.retryAfterMs !== null ? result.retryAfterMs : scheduled;
  return { deliveryId, attempt, status: 'pending', nextAttemptAt: Date.now() + honoured };
}
