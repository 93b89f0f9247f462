import type { CommandModule } from 'yargs';
import { type EventTypePattern, eventTypePattern } from '../listen/event-type-pattern.js';
import { parseForwardRoutes } from '../listen/parse-forward-routes.js';
import { type ListenedEvent, startListener } from '../listen/start-listener.js';
import { type GlobalArgs, resolveGlobals } from '../options/global-options.js';
import { parseUrl } from '../options/parse-url.js';
import { resolveSecret, SECRET_ENV } from '../options/resolve-secret.js';
import type { Reporter } from '../output/create-reporter.js';
import { UsageError } from '../usage-error.js';

interface ListenArgs extends GlobalArgs {
  port: number;
  host: string;
  secret?: string;
  record?: string;
  forwardTo?: string;
  forward?: string[];
  events?: string[];
}

/** Not the mock server's 4000, so both can run side by side. */
export const DEFAULT_LISTEN_PORT = 4400;

/** `caleida-sim listen`: a local receiver that verifies, prints, records and forwards events. */
export const listenCommand: CommandModule<GlobalArgs, ListenArgs> = {
  command: 'listen',
  describe: 'Run a local receiver that verifies and prints every event (and can record or forward them)',
  builder: (yargs) =>
    yargs
      .option('port', {
        type: 'number',
        default: DEFAULT_LISTEN_PORT,
        describe: 'Port to listen on (0: any free port; the mock server uses 4000)',
      })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to listen on' })
      .option('secret', {
        type: 'string',
        describe: `Verify with this secret (default: $${SECRET_ENV}; none: show unverified)`,
      })
      .option('record', {
        type: 'string',
        describe: 'Append each accepted event as a JSON line {id, type, timestamp, data}',
      })
      .option('forward-to', {
        type: 'string',
        describe: 'Forward every request, exact bytes and headers, to this URL (after any --forward route)',
      })
      .option('forward', {
        type: 'string',
        array: true,
        nargs: 1,
        requiresArg: true,
        describe:
          "Forward events of some types to a URL, as TYPE=URL with globs (repeatable; the first match wins), e.g. --forward message=http://localhost:3001/hook --forward 'insight.*=http://localhost:3002/hook'",
      })
      .option('events', {
        type: 'string',
        array: true,
        nargs: 1,
        requiresArg: true,
        describe:
          'Only these event types, comma-separated, with globs: e.g. message,insight.*. Events of other types are still verified and acknowledged with a 2xx (so the sender does not retry them), but not shown, recorded or forwarded',
      })
      .example('$0 listen --secret whsec_...', 'verify and print, on port 4400')
      .example('$0 listen --record events.jsonl', 'record for caleida-sim replay')
      .example('$0 listen --forward-to http://localhost:3000/webhooks', 'inspect on the way')
      .example(
        "$0 listen --events 'message,insight.*' --forward message=http://localhost:3001/hook --forward 'insight.*=http://localhost:3002/hook'",
        'feed two local services, ignore chat events',
      ) as never,
  handler: async (argv) => {
    const { reporter, timeoutMs } = resolveGlobals(argv);
    if (!(Number.isInteger(argv.port) && argv.port >= 0 && argv.port < 65_536)) {
      throw new UsageError('invalid_option', `--port must be a port number (0 to 65535), got ${argv.port}.`);
    }
    const secret = argv.secret || process.env[SECRET_ENV] ? resolveSecret(argv.secret) : undefined;
    const forwardTo = argv.forwardTo === undefined ? undefined : parseUrl(argv.forwardTo, '--forward-to');
    const routes = parseForwardRoutes(argv.forward);
    const events = parseEventsOption(argv.events);
    let count = 0;
    let ignored = 0;
    let listener: Awaited<ReturnType<typeof startListener>>;
    try {
      listener = await startListener({
        port: argv.port,
        host: argv.host,
        timeoutMs,
        ...(secret ? { secret } : {}),
        ...(argv.record ? { recordPath: argv.record } : {}),
        ...(forwardTo ? { forwardTo } : {}),
        routes,
        ...(events ? { events } : {}),
        onEvent: (event) => {
          count++;
          if (event.ignored) ignored++;
          else reportEvent(reporter, event);
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'EADDRINUSE' ? 'the port is in use; pick another with --port' : (error as Error).message;
      throw new UsageError('invalid_option', `Cannot listen on ${argv.host}:${argv.port}: ${why}.`);
    }
    reporter.record(
      {
        listening: listener.url,
        verifying: Boolean(secret),
        record: argv.record ?? null,
        forwardTo: forwardTo?.href ?? null,
        forward: Object.fromEntries(routes.map((route) => [route.types.pattern, route.url.href])),
        events: events?.map((pattern) => pattern.pattern) ?? null,
      },
      `Listening on ${listener.url} ${secret ? '(verifying signatures)' : reporter.colors.yellow(`(not verifying: pass --secret or set ${SECRET_ENV})`)}${argv.record ? `, recording to ${argv.record}` : ''}${events ? `, showing ${events.map((p) => p.pattern).join(', ')} only` : ''}${routes.map((route) => `, forwarding ${route.types.pattern} to ${route.url.href}`).join('')}${forwardTo ? `, forwarding ${routes.length ? 'the rest ' : ''}to ${forwardTo.href}` : ''}. Ctrl-C to stop.`,
      { important: true },
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await listener.close();
    reporter.summary(
      { received: count, ignored },
      `Stopped after ${count} request(s)${ignored ? ` (${ignored} not matching --events, acknowledged and not shown)` : ''}.`,
    );
  },
};

function parseEventsOption(values: readonly string[] | undefined): EventTypePattern[] | undefined {
  if (values === undefined) return undefined;
  const patterns = values.flatMap((value) => value.split(',')).filter((value) => value.trim() !== '');
  if (patterns.length === 0) {
    throw new UsageError(
      'invalid_option',
      '--events needs at least one event type, e.g. --events message,insight.*.',
    );
  }
  return patterns.map((pattern) => eventTypePattern(pattern, '--events'));
}

function reportEvent(reporter: Reporter, event: ListenedEvent): void {
  const { green, red, yellow, dim, bold } = reporter.colors;
  const ok = event.status >= 200 && event.status < 300;
  const mark = ok ? green('✓') : red('✗');
  const trust = event.verified === null ? yellow('unverified') : event.verified ? 'verified' : red('refused');
  const age = event.webhookTimestamp
    ? `, signed ${Math.round(Date.now() / 1000 - event.webhookTimestamp)} s ago`
    : '';
  const head = `${mark} ${event.status} ${bold(event.type ?? '-')} ${event.id ?? ''} (${trust}${age}${event.duplicate ? ', duplicate: not processed again' : ''}${event.forwardedTo ? `, forwarded to ${event.forwardedTo}` : ''})`;
  const detail = event.error
    ? `\n  ${red(event.error)}`
    : event.data === undefined
      ? ''
      : `\n${dim(JSON.stringify(event.data, null, 2).replace(/^/gm, '  '))}`;
  reporter.record({ ...event }, `${head}${detail}`, { important: !ok });
}
