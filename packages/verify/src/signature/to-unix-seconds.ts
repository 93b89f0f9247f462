/** Unix seconds from a `Date` or a number of seconds. */
export function toUnixSeconds(timestamp: number | Date): number {
  return typeof timestamp === 'number' ? timestamp : Math.floor(timestamp.getTime() / 1000);
}
