import { EVENT_TYPES } from '@caleida/verify';
import { buildEvent } from '@caleida/verify/testing';
import type { CommandModule } from 'yargs';
import { applyOverrides } from '../events/apply-overrides.js';
import { assertEventSchema } from '../events/assert-event-schema.js';
import { parseSetOptions } from '../events/parse-set-options.js';
import type { GlobalArgs } from '../options/global-options.js';
import { parseEventType } from '../options/parse-event-type.js';
import { type SetArgs, setOption } from '../options/set-option.js';

interface FixturesArgs extends GlobalArgs, SetArgs {
  type: string;
  envelope?: boolean;
  seed?: number;
}

/** `caleida-sim fixtures <type>`: prints an example payload to start editing from. */
export const fixturesCommand: CommandModule<GlobalArgs, FixturesArgs> = {
  command: 'fixtures <type>',
  describe: 'Print an example event data object to edit and send with --data',
  builder: (yargs) =>
    setOption(yargs)
      .positional('type', { type: 'string', demandOption: true, describe: EVENT_TYPES.join(' | ') })
      .option('envelope', { type: 'boolean', describe: 'Print the whole body {type, timestamp, data}' })
      .option('seed', { type: 'number', describe: 'Same seed, same example' })
      .example('$0 fixtures message > message.json', 'start from an example')
      .example('$0 send message --url $URL --data message.json', 'then send it') as never,
  handler: (argv) => {
    const type = parseEventType(argv.type);
    const overrides = parseSetOptions(argv.set);
    const event = applyOverrides(
      buildEvent(type, argv.seed === undefined ? {} : { seed: argv.seed }),
      overrides,
    );
    assertEventSchema(type, event, overrides);
    const value = argv.envelope ? event : event.data;
    process.stdout.write(`${JSON.stringify(value, null, argv.json ? 0 : 2)}\n`);
  },
};
