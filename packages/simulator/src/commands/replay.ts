import type { CommandModule } from 'yargs';
import { readEventLines } from '../events/read-event-lines.js';
import { deliverAndReport } from '../http/deliver-and-report.js';
import {
  type GlobalArgs,
  resolveGlobals,
  type TargetArgs,
  targetOptions,
} from '../options/global-options.js';
import { parseUrl } from '../options/parse-url.js';
import { resolveSecret } from '../options/resolve-secret.js';
import { UsageError } from '../usage-error.js';

interface ReplayArgs extends GlobalArgs, TargetArgs {
  file: string;
  rate?: string;
  concurrency: number;
  preserveTiming?: boolean;
}

/** `caleida-sim replay <file.jsonl>`: re-sends recorded events, re-signed with fresh timestamps. */
export const replayCommand: CommandModule<GlobalArgs, ReplayArgs> = {
  command: 'replay <file>',
  describe: 'Re-send recorded events (JSON lines), re-signed with fresh timestamps, keeping their ids',
  builder: (yargs) =>
    targetOptions(yargs)
      .positional('file', {
        type: 'string',
        demandOption: true,
        describe: 'A .jsonl file, e.g. from listen --record',
      })
      .option('rate', { type: 'string', describe: 'Largest rate, e.g. 50 or 50/s (default: no limit)' })
      .option('concurrency', { type: 'number', default: 1, describe: 'Requests in flight at once' })
      .option('preserve-timing', {
        type: 'boolean',
        describe: 'Wait between events as long as their timestamps are apart',
      })
      .example('$0 replay events.jsonl --url http://localhost:3000/webhooks', 'send a recording again')
      .example(
        '$0 replay events.jsonl --url $URL --rate 20/s --concurrency 4',
        'faster, in parallel',
      ) as never,
  handler: async (argv) => {
    const { reporter, headers, timeoutMs } = resolveGlobals(argv);
    const url = parseUrl(argv.url, '--url');
    const secret = resolveSecret(argv.secret);
    const ratePerSecond = argv.rate === undefined ? undefined : parseRate(argv.rate);
    if (!(Number.isInteger(argv.concurrency) && argv.concurrency > 0)) {
      throw new UsageError(
        'invalid_option',
        `--concurrency must be a whole number above 0, got ${argv.concurrency}.`,
      );
    }
    const recorded = await readEventLines(argv.file);
    process.exitCode = await deliverAndReport(reporter, {
      events: recorded.map(({ id, type, timestamp, data }) => ({
        ...(id ? { id } : {}),
        event: { type, timestamp, data },
      })),
      url,
      secret,
      headers,
      timeoutMs,
      concurrency: argv.concurrency,
      ...(ratePerSecond ? { ratePerSecond } : {}),
      preserveTiming: Boolean(argv.preserveTiming),
    });
  },
};

/** Reads `--rate 50` or `--rate 50/s`. */
export function parseRate(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(value.trim());
  const rate = match ? Number(match[1]) : Number.NaN;
  if (!(rate > 0))
    throw new UsageError('invalid_option', `--rate "${value}" is not a rate; write e.g. 50 or 50/s.`);
  return rate;
}
