/**
 * Refuses timing options that would switch the timestamp check off unseen: a `toleranceSeconds`
 * that is not a positive finite number (`Number(process.env.UNSET)` is NaN, and every comparison
 * with NaN is false) and a `now` that is not a valid Date. Shared by `verify()`, `verifyAsync()`,
 * `constructEvent()` and `createReceiver()`, so all refuse the same values with the same message.
 *
 * @throws TypeError naming the option and the value it got
 */
export function checkTimingOptions(toleranceSeconds: number | undefined, now: Date | undefined): void {
  if (toleranceSeconds !== undefined && !(Number.isFinite(toleranceSeconds) && toleranceSeconds > 0)) {
    throw new TypeError(
      `@caleida/verify: toleranceSeconds must be a positive number of seconds, got ${String(toleranceSeconds)}.`,
    );
  }
  if (now !== undefined && !(now instanceof Date && Number.isFinite(now.getTime()))) {
    throw new TypeError(
      `@caleida/verify: now must be a valid Date, got ${now instanceof Date ? 'an invalid Date' : String(now)}.`,
    );
  }
}
