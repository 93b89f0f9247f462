import { buildConversation } from '@caleida/verify/testing';
import type { CommandModule } from 'yargs';
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

interface ScenarioArgs extends GlobalArgs, TargetArgs {
  name: string;
  chats: number;
  seed?: number;
}

/** `caleida-sim scenario`: whole conversations in causal order (chat, messages, insights). */
export const scenarioCommand: CommandModule<GlobalArgs, ScenarioArgs> = {
  command: 'scenario [name]',
  describe: 'Send realistic conversations: a chat, its messages, then its insights',
  builder: (yargs) =>
    targetOptions(yargs)
      .positional('name', { type: 'string', default: 'conversation', choices: ['conversation'] })
      .option('chats', { type: 'number', default: 1, describe: 'How many conversations' })
      .option('seed', { type: 'number', describe: 'Same seed, same events (ids, content, times)' })
      .example(
        '$0 scenario --url http://localhost:3000/webhooks --chats 3 --seed 42',
        'three conversations',
      ) as never,
  handler: async (argv) => {
    const { reporter, headers, timeoutMs } = resolveGlobals(argv);
    const url = parseUrl(argv.url, '--url');
    const secret = resolveSecret(argv.secret);
    if (!(Number.isInteger(argv.chats) && argv.chats > 0)) {
      throw new UsageError('invalid_option', `--chats must be a whole number above 0, got ${argv.chats}.`);
    }
    if (argv.seed !== undefined && !Number.isInteger(argv.seed)) {
      throw new UsageError('invalid_option', `--seed must be a whole number, got ${argv.seed}.`);
    }
    const events = Array.from({ length: argv.chats }, (_, chat) =>
      buildConversation(argv.seed === undefined ? {} : { seed: argv.seed + chat }),
    )
      .flat()
      .map((event) => ({ event }));
    process.exitCode = await deliverAndReport(reporter, {
      events,
      url,
      secret,
      headers,
      timeoutMs,
    });
  },
};
