/**
 * A one-line progress bar redrawn in place on a terminal (stderr), so it never mixes with output
 * that is piped or parsed.
 */
export function progressBar(fraction: number, label: string, width = 24): string {
  const clamped = Math.max(0, Math.min(1, fraction));
  const filled = Math.round(clamped * width);
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${label}\u001b[K`;
}
