import type { Argv } from 'yargs';

/** `--set path=value`, as `send`, `trigger` and `fixtures` take it. */
export interface SetArgs {
  set?: string[];
}

/** Adds the repeatable `--set path=value` option. */
export function setOption<T>(argv: Argv<T>, what = 'data.… or timestamp'): Argv<T & SetArgs> {
  return argv.option('set', {
    type: 'string',
    array: true,
    // One value per flag: a greedy array would swallow the positional after it.
    nargs: 1,
    requiresArg: true,
    describe: `Change one field of the event, as path=value (${what}; repeatable): e.g. data.author.name=Ana, data.topics.0.confidence=0.4. A value that parses as JSON is JSON (42, true, null, {...}), anything else is text; quote it to keep a string: --set 'data.content="42"'. The result is checked against the event's schema`,
  }) as Argv<T & SetArgs>;
}
