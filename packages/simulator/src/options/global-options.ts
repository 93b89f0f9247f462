import type { Argv } from 'yargs';
import { createReporter, type Reporter } from '../output/create-reporter.js';
import { parseDuration } from './parse-duration.js';
import { parseHeaders } from './parse-headers.js';

/** The options every command takes. */
export interface GlobalArgs {
  json?: boolean;
  quiet?: boolean;
  header?: string[];
  timeout?: string;
}

/** Adds the global options to a yargs instance. */
export function globalOptions<T>(argv: Argv<T>): Argv<T & GlobalArgs> {
  return argv
    .option('json', { type: 'boolean', describe: 'Machine-readable output: JSON lines, then a JSON summary' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'Print only failures and the summary' })
    .option('header', {
      type: 'string',
      array: true,
      alias: 'H',
      describe: 'Add a header to every request, as name:value (repeatable)',
    })
    .option('timeout', { type: 'string', default: '10s', describe: 'How long to wait for each answer' })
    .group(['json', 'quiet', 'header', 'timeout', 'help'], 'Global options:') as Argv<T & GlobalArgs>;
}

/** What the global options mean, resolved once per command. */
export interface ResolvedGlobals {
  reporter: Reporter;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** Resolves the global options; a bad one throws `UsageError`. */
export function resolveGlobals(argv: GlobalArgs): ResolvedGlobals {
  return {
    reporter: createReporter({ json: Boolean(argv.json), quiet: Boolean(argv.quiet) }),
    headers: parseHeaders(argv.header),
    timeoutMs: parseDuration(argv.timeout ?? '10s', '--timeout'),
  };
}

/** `--url` and `--secret`, as the sending commands take them. */
export interface TargetArgs {
  url: string;
  secret?: string;
}

/** Adds `--url` (required) and `--secret` (or CALEIDA_WEBHOOK_SECRET). */
export function targetOptions<T>(argv: Argv<T>): Argv<T & TargetArgs> {
  return argv
    .option('url', { type: 'string', demandOption: true, describe: 'Your webhook endpoint' })
    .option('secret', {
      type: 'string',
      describe: 'The webhook secret (default: $CALEIDA_WEBHOOK_SECRET); never printed',
    }) as Argv<T & TargetArgs>;
}
