import { redactSecrets } from '@caleida/verify';
import yargs from 'yargs';
import { checkCommand } from './commands/check.js';
import { fixturesCommand } from './commands/fixtures.js';
import { listenCommand } from './commands/listen.js';
import { loadCommand } from './commands/load.js';
import { recoverCommand } from './commands/recover.js';
import { replayCommand } from './commands/replay.js';
import { scenarioCommand } from './commands/scenario.js';
import { sendCommand } from './commands/send.js';
import { triggerCommand } from './commands/trigger.js';
import { globalOptions } from './options/global-options.js';
import { SECRET_ENV } from './options/resolve-secret.js';
import { UsageError } from './usage-error.js';

/**
 * Runs `caleida-sim` with the given arguments and resolves with the exit code: 0 all delivered with
 * 2xx, 1 a non-2xx answer or a failed check, 2 a usage error (printed on one line, no stack trace).
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(args: readonly string[]): Promise<number> {
  const cli = globalOptions(yargs([...args]))
    .scriptName('caleida-sim')
    .usage(
      '$0 <command> [options]\n\nSend, replay, load-test and security-check Caleida webhooks against your endpoint.',
    )
    .command(sendCommand)
    .command(scenarioCommand)
    .command(replayCommand)
    .command(loadCommand)
    .command(checkCommand)
    .command(listenCommand)
    .command(triggerCommand)
    .command(fixturesCommand)
    .command(recoverCommand)
    .demandCommand(
      1,
      'Name a command: send, scenario, replay, load, check, listen, trigger, fixtures or recover.',
    )
    .strict()
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      // yargs reports some parse errors (an option missing its value) as a YError: a usage error too.
      const usage = !error || error.name === 'YError';
      throw (
        (usage ? undefined : error) ??
        new UsageError(
          'invalid_option',
          (message ?? error?.message ?? 'invalid arguments')
            .replace(/^Not enough non-option arguments.*$/, 'A required argument is missing')
            .replace(/^Not enough arguments following: (\S+)$/, '--$1 needs a value')
            .replace(/\s*\n\s*/g, ' '),
        )
      );
    });
  try {
    process.exitCode = undefined;
    await cli.parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Whatever the user typed can be in a message, a secret pasted into the wrong place included.
    if (error instanceof UsageError) {
      process.stderr.write(
        redactSecrets(`caleida-sim: ${withSecretHint(error.message)}${hint(error, args)}\n`),
      );
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(redactSecrets(`caleida-sim: ${message}\n`));
    if (process.env.DEBUG && error instanceof Error) process.stderr.write(redactSecrets(`${error.stack}\n`));
    return 1;
  }
}

const COMMANDS = ['send', 'scenario', 'replay', 'load', 'check', 'listen', 'trigger', 'fixtures', 'recover'];

function hint(error: UsageError, args: readonly string[]): string {
  if (error.code !== 'invalid_option') return '';
  const command = args.find((arg) => !arg.startsWith('-'));
  return command && COMMANDS.includes(command)
    ? ` (see caleida-sim ${command} --help)`
    : ' (see caleida-sim --help)';
}

/** When a usage error quotes something that looks like a secret, adds where a secret goes. */
function withSecretHint(message: string): string {
  if (redactSecrets(message) === message) return message;
  const where = /cmk_[A-Za-z0-9_-]/.test(message)
    ? 'looks like an API key: pass it with --api-key or set CALEIDA_API_KEY'
    : `looks like a secret: pass a webhook secret with --secret or set ${SECRET_ENV}`;
  return message.endsWith('.') ? `${message} It ${where}.` : `${message}; it ${where}`;
}
