import { buildEvent } from '@caleida/verify/testing';
import type { CommandModule } from 'yargs';
import { applyOverrides } from '../events/apply-overrides.js';
import { assertEventSchema } from '../events/assert-event-schema.js';
import { parseSetOptions } from '../events/parse-set-options.js';
import { readDataFile } from '../events/read-data-file.js';
import { DeliveryError } from '../http/delivery-error.js';
import { sendWebhook } from '../http/send-webhook.js';
import { type GlobalArgs, resolveGlobals } from '../options/global-options.js';
import { parseEventType } from '../options/parse-event-type.js';
import { parseUrl } from '../options/parse-url.js';
import { type SetArgs, setOption } from '../options/set-option.js';
import { UsageError } from '../usage-error.js';

interface TriggerArgs extends GlobalArgs, SetArgs {
  type: string;
  server: string;
  apiKey?: string;
  data?: string;
}

/** The environment variable read when `--api-key` is not given. */
const API_KEY_ENV = 'CALEIDA_API_KEY';

/** `caleida-sim trigger <type>`: asks a running mock server to emit an event to every subscribed webhook. */
export const triggerCommand: CommandModule<GlobalArgs, TriggerArgs> = {
  command: 'trigger <type>',
  describe: 'Ask a running Caleida mock server to emit an event to every subscribed webhook',
  builder: (yargs) =>
    setOption(yargs, 'data.… only: the mock server stamps the timestamp')
      .positional('type', { type: 'string', demandOption: true })
      .option('server', {
        type: 'string',
        demandOption: true,
        describe: 'The mock server, e.g. http://127.0.0.1:4010',
      })
      .option('api-key', {
        type: 'string',
        describe: `Its API key (default: $${API_KEY_ENV}); never printed`,
      })
      .option('data', {
        type: 'string',
        requiresArg: true,
        describe: 'The event data from a JSON file, or - for stdin (default: generated)',
      })
      .example('$0 trigger message --server http://127.0.0.1:4010 --api-key $KEY', 'emit a generated message')
      .example(
        '$0 trigger message --server $MOCK --api-key $KEY --set data.content="Refund?" --set data.role=customer',
        'emit a message with these fields',
      ) as never,
  handler: async (argv) => {
    const { reporter, headers, timeoutMs } = resolveGlobals(argv);
    const type = parseEventType(argv.type);
    const server = parseUrl(argv.server, '--server');
    const apiKey = argv.apiKey || process.env[API_KEY_ENV];
    if (!apiKey) {
      throw new UsageError(
        'invalid_option',
        `No API key: pass --api-key or set ${API_KEY_ENV} (the mock server prints it at start).`,
      );
    }
    const overrides = parseSetOptions(argv.set, { allowTimestamp: false });
    let data: object | undefined = argv.data === undefined ? undefined : await readDataFile(argv.data, type);
    if (overrides.length) {
      // The generated fixture is realistic; the overrides change only what was asked.
      data = applyOverrides({ data: data ?? buildEvent(type).data }, overrides).data;
      assertEventSchema(type, data, overrides, { dataOnly: true });
    }
    const url = new URL('/v1/events', server);
    let answer: Awaited<ReturnType<typeof sendWebhook>>;
    try {
      answer = await sendWebhook({
        url,
        body: JSON.stringify({ type, ...(data ? { data } : {}) }),
        headers: { ...headers, 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        timeoutMs,
      });
    } catch (error) {
      if (error instanceof DeliveryError && error.code === 'unreachable')
        throw new UsageError('unreachable_host', error.message);
      throw error;
    }
    const { green, red } = reporter.colors;
    let parsed: { event?: { id?: string }; deliveries?: unknown[]; message?: string } = {};
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      // Shown raw below.
    }
    const ok = answer.status >= 200 && answer.status < 300;
    reporter.summary(
      { status: answer.status, ...parsed },
      ok
        ? `${green('✓')} ${answer.status} ${type} ${parsed.event?.id ?? ''} emitted to ${parsed.deliveries?.length ?? 0} webhook(s)`
        : `${red('✗')} ${answer.status} ${parsed.message ?? answer.body.slice(0, 300)}`,
    );
    process.exitCode = ok ? 0 : 1;
  },
};
