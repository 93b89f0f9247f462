/**
 * Seconds to wait before each attempt, the Standard Webhooks schedule: immediately, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h and 10 h after the previous failure. Eight attempts in all.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

/** How far each wait may stray from the schedule, either way (spreads retries of a burst). */
export const DEFAULT_RETRY_JITTER = 0.2;

/**
 * Milliseconds to wait before attempt `number` (1-based), or null when the schedule has no such
 * attempt and the delivery has failed.
 */
export function delayBeforeAttempt(
  schedule: readonly number[],
  number: number,
  jitter: number,
  random: () => number = Math.random,
): number | null {
  const seconds = schedule[number - 1];
  if (seconds === undefined) return null;
  const factor = 1 + jitter * (random() * 2 - 1);
  return Math.round(seconds * 1000 * factor);
}
