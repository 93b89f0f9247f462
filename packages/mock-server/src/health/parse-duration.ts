const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds in a duration such as `5d`, `12h`, `30m`, `10s`, `500ms` or `1.5h`; a bare number is
 * milliseconds. Undefined when `text` is not one.
 *
 * @example
 * parseDuration('5d'); // 432000000
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] as number));
}
