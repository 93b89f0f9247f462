import type { Reporter } from '../output/create-reporter.js';
import { reportDelivery, summarizeDeliveries } from '../output/summarize-deliveries.js';
import { type DeliverEventsOptions, deliverEvents } from './deliver-events.js';

/**
 * Delivers events, printing each delivery as it happens and the summary at the end; resolves with
 * the exit code (0 when every delivery got a 2xx). What `send`, `scenario` and `replay` share.
 */
export async function deliverAndReport(
  reporter: Reporter,
  options: Omit<DeliverEventsOptions, 'onDelivery'>,
): Promise<number> {
  const results = await deliverEvents({
    ...options,
    onDelivery: (result) => reportDelivery(reporter, result),
  });
  return summarizeDeliveries(reporter, results);
}
