import { redactSecrets } from '@caleida/verify';
import { type Colors, createColors } from './create-colors.js';

/** How a command prints. */
export interface ReporterOptions {
  /** JSON lines, then one JSON summary, instead of text. */
  json?: boolean;
  /** Text mode only: print the summary and failures, not every line. */
  quiet?: boolean;
  /** Where output goes. Default: process.stdout. */
  write?: (text: string) => void;
  colors?: Colors;
}

/** Prints a command's records and summary in the chosen format. */
export interface Reporter {
  readonly colors: Colors;
  readonly json: boolean;
  /** One record (a delivery, a case, an event): a JSON line, or `text` unless quiet. */
  record(data: object, text: string, options?: { important?: boolean }): void;
  /** Free text, shown in text mode unless quiet. */
  info(text: string): void;
  /** The final summary: always printed. */
  summary(data: object, text: string): void;
}

/**
 * Makes a reporter: `--json` prints JSON lines then a JSON summary, `--quiet` keeps only the summary
 * and failures, and colour follows `shouldColor()` (a terminal, NO_COLOR, FORCE_COLOR). Anything
 * that looks like a secret is printed cut short (`whsec_MfKQ…[redacted]`).
 *
 * @example
 * const reporter = createReporter({ json: argv.json, quiet: argv.quiet });
 * reporter.record({ status: 200 }, '200 message evt_...');
 */
export function createReporter({
  json = false,
  quiet = false,
  write: writeText = (text) => process.stdout.write(text),
  colors = createColors(json ? false : undefined),
}: ReporterOptions = {}): Reporter {
  // Records carry what the user gave (ids, paths, URLs) and what endpoints answered: a secret in
  // any of them is cut short before it is shown.
  const write = (text: string) => writeText(redactSecrets(text));
  return {
    colors,
    json,
    record(data, text, { important = false } = {}) {
      if (json) write(`${JSON.stringify(data)}\n`);
      else if (!quiet || important) write(`${text}\n`);
    },
    info(text) {
      if (!json && !quiet) write(`${text}\n`);
    },
    summary(data, text) {
      write(json ? `${JSON.stringify({ summary: true, ...data })}\n` : `${text}\n`);
    },
  };
}
