import type { AttemptDetail, DeliveryDetail } from '../storage/delivery-store.js';
import { presentDelivery } from './present.js';

/**
 * One delivery as `GET /v1/deliveries/:id` shows it: each attempt with the request it sent
 * (headers, and `body`, the event's stored body, which every attempt sends byte for byte) and the
 * response it got (status, headers, the first 4 KB of the body, `truncated` when there was more),
 * or `response: null` when none arrived.
 *
 * @example
 * presentDeliveryDetail(deliveries.detail(id), events.body(eventId) ?? null);
 */
export function presentDeliveryDetail(delivery: DeliveryDetail, body: string | null) {
  const light = presentDelivery(delivery);
  return {
    ...light,
    attempts: delivery.attempts.map((attempt, index) => ({
      ...(light.attempts[index] as (typeof light.attempts)[number]),
      time_to_first_byte_ms: attempt.firstByteMs,
      request: { headers: attempt.requestHeaders, body },
      response: presentResponse(attempt),
    })),
  };
}

function presentResponse(attempt: AttemptDetail) {
  if (attempt.statusCode === null) return null;
  return {
    status: attempt.statusCode,
    // Parsed from JSON: no header is undefined any more.
    headers: attempt.responseHeaders as Record<string, string | string[]> | null,
    body: attempt.responseExcerpt ?? '',
    truncated: attempt.responseTruncated,
  };
}
