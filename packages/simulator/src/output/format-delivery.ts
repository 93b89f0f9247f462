import type { Colors } from './create-colors.js';

/** One delivery as a line of text: status, type, id, latency. */
export interface DeliveryLine {
  status: number | null;
  type: string;
  id: string;
  latencyMs: number;
  error?: string;
}

/**
 * Formats a delivery as `200  message          evt_...  3.1 ms`, green for 2xx and red otherwise.
 */
export function formatDelivery(line: DeliveryLine, colors: Colors): string {
  const ok = line.status !== null && line.status >= 200 && line.status < 300;
  const status = line.status === null ? 'ERR' : String(line.status);
  const text = `${status.padEnd(4)} ${line.type.padEnd(20)} ${line.id}  ${line.latencyMs.toFixed(1)} ms`;
  return ok
    ? `${colors.green(status.padEnd(4))}${text.slice(4)}`
    : colors.red(line.error ? `${text}  ${line.error}` : text);
}
