import { UsageError } from '../usage-error.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a duration such as `30s`, `500ms`, `2m` or a bare number of seconds, in milliseconds.
 *
 * @example
 * parseDuration('30s', '--duration'); // 30000
 */
export function parseDuration(value: unknown, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(value).trim());
  if (!match) {
    throw new UsageError(
      'invalid_option',
      `${option} "${String(value)}" is not a duration; write e.g. 30s, 500ms or 2m.`,
    );
  }
  const milliseconds = Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000);
  if (milliseconds <= 0) throw new UsageError('invalid_option', `${option} must be longer than zero.`);
  return milliseconds;
}
