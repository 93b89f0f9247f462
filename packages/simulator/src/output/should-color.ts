/**
 * Whether to print colour on `stream`: `FORCE_COLOR` set and not empty forces it on (`0` or `false`
 * force it off), as https://force-color.org and Node itself read it, and wins over `NO_COLOR`;
 * otherwise `NO_COLOR` set and not empty turns it off (https://no-color.org); otherwise colour only
 * on a terminal that has colours (not `TERM=dumb`).
 *
 * @example
 * shouldColor(process.stdout, process.env);
 */
export function shouldColor(
  stream: NodeJS.WriteStream = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (!stream.isTTY) return false;
  return typeof stream.hasColors === 'function' ? stream.hasColors() : true;
}
