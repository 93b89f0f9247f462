import { UsageError } from '../usage-error.js';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads `--since` as a point in the past: an ISO 8601 time (`2026-11-28T09:00:00Z`) or a duration
 * back from `now` (`90s`, `30m`, `2h`, `7d`).
 *
 * @example
 * parseSince('2h', '--since').toISOString();
 */
export function parseSince(value: unknown, option: string, now: Date = new Date()): Date {
  const text = String(value ?? '').trim();
  const duration = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text);
  let since: Date;
  if (duration) {
    since = new Date(now.getTime() - Number(duration[1]) * (UNITS[duration[2] as string] ?? 1000));
  } else if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    since = new Date(text);
    const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
    // Date rolls 2026-02-30 over to March 2 instead of refusing it.
    const calendarDay = new Date(Date.UTC(year, month - 1, day));
    if (
      Number.isNaN(since.getTime()) ||
      calendarDay.getUTCDate() !== day ||
      calendarDay.getUTCMonth() !== month - 1
    ) {
      throw new UsageError(
        'invalid_option',
        `${option} "${text}" is not a real date; check the day and month.`,
      );
    }
  } else {
    throw new UsageError(
      'invalid_option',
      `${option} "${text}" is neither a time nor a duration; write e.g. 2026-11-28T09:00:00Z, 30m, 2h or 7d.`,
    );
  }
  if (since.getTime() > now.getTime()) {
    throw new UsageError(
      'invalid_option',
      `${option} ${since.toISOString()} is in the future; recovery re-sends what failed since a past time.`,
    );
  }
  return since;
}
