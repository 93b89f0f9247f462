import type { CommandModule } from 'yargs';
import { parseMix } from '../load/parse-mix.js';
import { runLoad } from '../load/run-load.js';
import {
  type GlobalArgs,
  resolveGlobals,
  type TargetArgs,
  targetOptions,
} from '../options/global-options.js';
import { parseDuration } from '../options/parse-duration.js';
import { parseUrl } from '../options/parse-url.js';
import { resolveSecret } from '../options/resolve-secret.js';
import { progressBar } from '../output/progress-bar.js';
import { UsageError } from '../usage-error.js';
import { parseRate } from './replay.js';

interface LoadArgs extends GlobalArgs, TargetArgs {
  duration: string;
  rate?: string;
  concurrency: number;
  mix?: string;
}

/** `caleida-sim load`: sustained signed load, then sent, status histogram, latency and rate. */
export const loadCommand: CommandModule<GlobalArgs, LoadArgs> = {
  command: 'load',
  describe: 'Send sustained load (every request signed with its own id) and report latency and rate',
  builder: (yargs) =>
    targetOptions(yargs)
      .option('duration', { type: 'string', default: '30s', describe: 'How long, e.g. 30s or 2m' })
      .option('rate', {
        type: 'string',
        describe: 'Target requests per second (default: as fast as possible)',
      })
      .option('concurrency', {
        type: 'number',
        default: 10,
        describe: 'Requests in flight (and connections)',
      })
      .option('mix', {
        type: 'string',
        describe: 'Event types by weight (default message=70,chat=10,insight.*=4)',
      })
      .example(
        '$0 load --url http://localhost:3000/webhooks --duration 30s --rate 200',
        '200 events per second',
      )
      .example(
        '$0 load --url $URL --duration 10s --concurrency 50 --mix message=9,chat=1',
        'as fast as it goes',
      ) as never,
  handler: async (argv) => {
    const { reporter, headers, timeoutMs } = resolveGlobals(argv);
    const url = parseUrl(argv.url, '--url');
    const secret = resolveSecret(argv.secret);
    const durationMs = parseDuration(argv.duration, '--duration');
    const ratePerSecond = argv.rate === undefined ? undefined : parseRate(argv.rate);
    if (!(Number.isInteger(argv.concurrency) && argv.concurrency > 0)) {
      throw new UsageError(
        'invalid_option',
        `--concurrency must be a whole number above 0, got ${argv.concurrency}.`,
      );
    }
    const mix = parseMix(argv.mix);
    const showProgress = Boolean(process.stderr.isTTY) && !argv.json && !argv.quiet;
    const summary = await runLoad({
      url,
      secret,
      durationMs,
      concurrency: argv.concurrency,
      mix,
      headers,
      timeoutMs,
      ...(ratePerSecond ? { ratePerSecond } : {}),
      ...(showProgress
        ? {
            onProgress: ({ elapsedMs, sent, errors }) =>
              process.stderr.write(
                progressBar(
                  elapsedMs / durationMs,
                  `${(elapsedMs / 1000).toFixed(1)}s/${(durationMs / 1000).toFixed(0)}s  sent ${sent}  errors ${errors}  ${Math.round(sent / (elapsedMs / 1000))} req/s`,
                ),
              ),
          }
        : {}),
    });
    if (showProgress) process.stderr.write('\r\u001b[K');
    if (summary.unreachable)
      throw new UsageError('unreachable_host', summary.errorMessages[0] ?? `Cannot reach ${url.origin}.`);
    const { green, red } = reporter.colors;
    const ok =
      Object.entries(summary.statuses).every(([status]) => status.startsWith('2')) && summary.errors === 0;
    const histogram = Object.entries(summary.statuses)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ');
    const { p50, p90, p99, max } = summary.latencyMs;
    reporter.summary(
      {
        ...summary,
        achievedRate: Math.round(summary.achievedRate * 10) / 10,
        elapsedMs: Math.round(summary.elapsedMs),
      },
      [
        `${ok ? green('✓') : red('✗')} Sent ${summary.sent} in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${summary.achievedRate.toFixed(0)} req/s${ratePerSecond ? ` (target ${ratePerSecond})` : ''}`,
        `  status   ${histogram || 'none'}`,
        `  errors   ${summary.errors}${summary.errorMessages.length ? ` (${summary.errorMessages.join('; ')})` : ''}`,
        `  latency  p50 ${p50} ms  p90 ${p90} ms  p99 ${p99} ms  max ${max} ms`,
      ].join('\n'),
    );
    process.exitCode = ok ? 0 : 1;
  },
};
