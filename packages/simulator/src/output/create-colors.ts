import { styleText } from 'node:util';
import { shouldColor } from './should-color.js';

/** Paint functions: ANSI colours when colour is on, plain text otherwise. */
export interface Colors {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/**
 * Paints with Node's `util.styleText`; whether to paint at all is `shouldColor()` (a terminal,
 * `NO_COLOR`, `FORCE_COLOR`) unless `enabled` says so.
 *
 * @example
 * const c = createColors(); // decided for process.stdout and the environment
 */
export function createColors(enabled: boolean = shouldColor()): Colors {
  // validateStream: false because the decision is already made above; styleText's own check would
  // also print a Node warning when NO_COLOR and FORCE_COLOR are both set.
  const paint = (format: Parameters<typeof styleText>[0]) => (text: string) =>
    enabled ? styleText(format, text, { validateStream: false }) : text;
  return {
    green: paint('green'),
    red: paint('red'),
    yellow: paint('yellow'),
    dim: paint('dim'),
    bold: paint('bold'),
  };
}
