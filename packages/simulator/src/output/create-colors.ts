/** Paint functions: ANSI colours on a terminal, plain text everywhere else. */
export interface Colors {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/**
 * Colours only when writing to a TTY and `NO_COLOR` is unset, so logs and pipes stay plain.
 *
 * @example
 * const c = createColors(process.stdout.isTTY);
 */
export function createColors(
  enabled: boolean = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
): Colors {
  const paint = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { green: paint(32), red: paint(31), yellow: paint(33), dim: paint(2), bold: paint(1) };
}
