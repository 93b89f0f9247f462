import { EVENT_TYPES } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import type { CommandModule } from 'yargs';
import { applyOverrides } from '../events/apply-overrides.js';
import { assertEventSchema } from '../events/assert-event-schema.js';
import { parseSetOptions } from '../events/parse-set-options.js';
import { readDataFile } from '../events/read-data-file.js';
import { deliverAndReport } from '../http/deliver-and-report.js';
import type { OutgoingEvent } from '../http/deliver-events.js';
import {
  type GlobalArgs,
  resolveGlobals,
  type TargetArgs,
  targetOptions,
} from '../options/global-options.js';
import { parseEventType } from '../options/parse-event-type.js';
import { parseUrl } from '../options/parse-url.js';
import { resolveSecret } from '../options/resolve-secret.js';
import { type SetArgs, setOption } from '../options/set-option.js';
import { UsageError } from '../usage-error.js';

interface SendArgs extends GlobalArgs, TargetArgs, SetArgs {
  type: string;
  data?: string;
  count: number;
  id?: string;
}

/** `caleida-sim send <type>`: one signed event (or `--count` of them) to your endpoint. */
export const sendCommand: CommandModule<GlobalArgs, SendArgs> = {
  command: 'send <type>',
  describe: 'Send a signed event of one of the seven types',
  builder: (yargs) =>
    setOption(targetOptions(yargs))
      .positional('type', { type: 'string', demandOption: true, describe: EVENT_TYPES.join(' | ') })
      .option('data', {
        type: 'string',
        requiresArg: true,
        describe: 'The event data from a JSON file, or - for stdin (default: generated)',
      })
      .option('count', {
        type: 'number',
        default: 1,
        describe: 'How many events to send (each with its own id)',
      })
      .option('id', { type: 'string', describe: 'The webhook-id to use (default: a new evt_ id per event)' })
      .example(
        '$0 send message --url http://localhost:3000/webhooks --secret whsec_...',
        'a generated message',
      )
      .example('$0 send insight.sentiment --url $URL --data sentiment.json', 'your own data')
      .example('$0 send message --url $URL --set data.role=agent --set data.content="Hi"', 'change fields')
      .example('$0 fixtures chat | $0 send chat --url $URL --data -', 'edit a fixture on the fly') as never,
  handler: async (argv) => {
    const { reporter, headers, timeoutMs } = resolveGlobals(argv);
    const type = parseEventType(argv.type);
    const url = parseUrl(argv.url, '--url');
    const secret = resolveSecret(argv.secret);
    if (!(Number.isInteger(argv.count) && argv.count > 0)) {
      throw new UsageError('invalid_option', `--count must be a whole number above 0, got ${argv.count}.`);
    }
    const overrides = parseSetOptions(argv.set);
    const data = argv.data === undefined ? undefined : await readDataFile(argv.data, type);
    const events: OutgoingEvent[] = Array.from({ length: argv.count }, () => {
      const built = buildEvent(type, data ? { data, timestamp: new Date() } : { timestamp: new Date() });
      const event = overrides.length ? applyOverrides(built, overrides) : built;
      assertEventSchema(type, event, overrides);
      return { event, ...(argv.id ? { id: argv.id } : {}) };
    });
    process.exitCode = await deliverAndReport(reporter, {
      events,
      url,
      secret,
      headers,
      timeoutMs,
    });
  },
};
