import type { DeliveryResult } from '../http/deliver-events.js';
import type { Reporter } from './create-reporter.js';
import { formatDelivery } from './format-delivery.js';

/**
 * Prints each delivery as it happens: a JSON line, or `status type id latency`.
 */
export function reportDelivery(reporter: Reporter, result: DeliveryResult): void {
  const ok = result.status !== null && result.status >= 200 && result.status < 300;
  reporter.record(
    {
      status: result.status,
      type: result.type,
      id: result.id,
      latencyMs: Number(result.latencyMs.toFixed(2)),
      ...(result.error ? { error: result.error } : {}),
      ...(ok ? {} : { response: result.body.slice(0, 500) }),
    },
    formatDelivery(result, reporter.colors) +
      (ok || !result.body ? '' : `\n     ${reporter.colors.dim(result.body.slice(0, 300))}`),
    { important: !ok },
  );
}

/**
 * Prints the summary of a run (sent, 2xx, failed, status counts) and returns its exit code: 0 when
 * every delivery got a 2xx, else 1.
 */
export function summarizeDeliveries(reporter: Reporter, results: readonly DeliveryResult[]): number {
  const statuses: Record<string, number> = {};
  for (const { status } of results) {
    const key = status === null ? 'error' : String(status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const succeeded = results.filter(({ status }) => status !== null && status >= 200 && status < 300).length;
  const failed = results.length - succeeded;
  const counts = Object.entries(statuses)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');
  const { green, red } = reporter.colors;
  reporter.summary(
    { sent: results.length, succeeded, failed, statuses },
    `${failed === 0 ? green('✓') : red('✗')} Sent ${results.length}: ${counts || 'nothing'}`,
  );
  return failed === 0 ? 0 : 1;
}
