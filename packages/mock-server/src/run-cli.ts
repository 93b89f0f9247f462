import yargs from 'yargs';
import { parseDuration } from './health/parse-duration.js';
import { MockServerError } from './mock-server-error.js';
import { startMockServer } from './start-mock-server.js';
import { openDatabase } from './storage/open-database.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Runs `caleida-mock` with `argv` (without node and the script). Resolves with the exit code for
 * commands that end; `start` keeps running until SIGINT or SIGTERM.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs([...argv])
    .scriptName('caleida-mock')
    .usage('$0 <command> [options]')
    .option('db', {
      type: 'string',
      default: '.caleida/mock.db',
      describe: 'SQLite file (created on first start), or :memory:',
    })
    .command(
      'start',
      'Start the mock Caleida server',
      (command) =>
        command
          .option('port', { type: 'number', default: 4000, describe: 'Port; 0 picks a free one' })
          .option('host', { type: 'string', default: '127.0.0.1' })
          .option('api-key', {
            type: 'string',
            describe: 'API key (default: CALEIDA_API_KEY, else stored or generated)',
          })
          .option('allow-http', {
            type: 'boolean',
            default: false,
            describe: 'Accept http webhook URLs on any host',
          })
          .option('allow-private-network', {
            type: 'boolean',
            default: false,
            describe:
              'Deliver to private-network addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7)',
          })
          .option('retry-schedule', { type: 'string', describe: 'Seconds before each attempt, e.g. 0,1,2' })
          .option('attempt-timeout-ms', { type: 'number', default: 15_000 })
          .option('concurrency', { type: 'number', default: 64, describe: 'Attempts in flight at once' })
          .option('per-webhook-concurrency', { type: 'number', default: 16 })
          .option('chaos-duplicate', { type: 'number', describe: 'Share of deliveries sent twice, 0 to 1' })
          .option('chaos-reorder', {
            type: 'boolean',
            default: false,
            describe: 'Shuffle order within 250 ms',
          })
          .option('chaos-delay-ms', { type: 'number', describe: 'Delay before every attempt' })
          .option('disable-after-failing', {
            type: 'string',
            describe:
              'Disable a webhook whose deliveries all failed this long, e.g. 5d, 12h, 30m (default 5d)',
          })
          .option('disable-after-exhausted', {
            type: 'number',
            describe: 'Exhausted deliveries needed in that time to disable it (default 5)',
          })
          .option('operational-webhook-url', {
            type: 'string',
            describe: 'POST webhook.disabled and delivery.exhausted events here',
          })
          .option('operational-webhook-secret', {
            type: 'string',
            describe:
              'whsec_ secret that signs operational events (default: CALEIDA_OPERATIONAL_WEBHOOK_SECRET)',
          })
          .option('log-level', { choices: LOG_LEVELS, default: 'info' as (typeof LOG_LEVELS)[number] })
          .option('json', {
            type: 'boolean',
            default: false,
            describe: 'Print one JSON line {url, apiKey?, db} when listening; logs go to stderr',
          }),
      async (args) => {
        const server = await startMockServer({
          port: args.port,
          host: args.host,
          db: args.db,
          apiKey: args['api-key'],
          allowHttp: args['allow-http'],
          allowPrivateNetwork: args['allow-private-network'],
          retrySchedule:
            args['retry-schedule'] === undefined ? undefined : parseSchedule(args['retry-schedule']),
          attemptTimeoutMs: args['attempt-timeout-ms'],
          concurrency: args.concurrency,
          perWebhookConcurrency: args['per-webhook-concurrency'],
          disableAfterFailingMs:
            args['disable-after-failing'] === undefined
              ? undefined
              : parseFailingTime(args['disable-after-failing']),
          disableAfterExhausted: args['disable-after-exhausted'],
          operationalWebhook: operationalWebhook(
            args['operational-webhook-url'],
            args['operational-webhook-secret'] ??
              (process.env.CALEIDA_OPERATIONAL_WEBHOOK_SECRET || undefined),
          ),
          chaos: {
            duplicate: args['chaos-duplicate'],
            reorder: args['chaos-reorder'],
            delayMs: args['chaos-delay-ms'],
          },
          logger:
            args['log-level'] === 'silent'
              ? false
              : // With --json, stdout carries only the JSON line, so logs move to stderr.
                { level: args['log-level'], ...(args.json ? { stream: process.stderr } : {}) },
        });
        if (args.json) {
          process.stdout.write(
            `${JSON.stringify({
              url: server.url,
              ...(server.apiKeyGenerated ? { apiKey: server.apiKey } : {}),
              db: args.db,
            })}\n`,
          );
        } else {
          console.log(`Caleida mock server listening on ${server.url}`);
          console.log(`Dashboard: ${server.url}/integrations/webhook`);
          if (server.apiKeyGenerated) {
            console.log(`API key (shown once, stored in ${args.db}): ${server.apiKey}`);
          }
        }
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            void server.close().then(resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      },
    )
    .command(
      'api-key',
      'Print the API key stored in the database',
      () => {},
      (args) => {
        const db = openDatabase(args.db);
        const key = db.prepare<[], string>("SELECT value FROM settings WHERE key = 'api_key'").pluck().get();
        db.close();
        if (key) console.log(key);
        else {
          console.error(`No API key is stored in ${args.db} yet; run "caleida-mock start" once to make one.`);
          exitCode = 1;
        }
      },
    )
    .demandCommand(1, 'Name a command: caleida-mock start [options]')
    .strict()
    .help()
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    if (error instanceof MockServerError || error instanceof UsageError) {
      console.error(`caleida-mock: ${error.message}`);
      return 2;
    }
    console.error(`caleida-mock: unexpected error: ${(error as Error).message}`);
    return 1;
  }
}

class UsageError extends Error {}

function parseSchedule(value: string): number[] {
  const seconds = value.split(',').map((part) => Number(part.trim()));
  if (value.trim() === '' || seconds.some((s) => !Number.isFinite(s) || s < 0)) {
    throw new UsageError(
      `--retry-schedule must list seconds ≥ 0 separated by commas, e.g. 0,1,2; got "${value}".`,
    );
  }
  return seconds;
}

function parseFailingTime(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new UsageError(
      `--disable-after-failing must be a duration such as 5d, 12h, 30m, 10s or 500ms; got "${value}".`,
    );
  }
  return ms;
}

function operationalWebhook(url: string | undefined, secret: string | undefined) {
  if (url === undefined && secret === undefined) return undefined;
  if (url === undefined)
    throw new UsageError('--operational-webhook-secret needs --operational-webhook-url too.');
  if (secret === undefined) {
    throw new UsageError(
      '--operational-webhook-url needs a secret to sign with: --operational-webhook-secret whsec_... (or CALEIDA_OPERATIONAL_WEBHOOK_SECRET).',
    );
  }
  return { url, secret };
}
