import { dataSchemas, type EventType, eventSchemas } from '@caleida/verify';
import { UsageError } from '../usage-error.js';
import type { EventOverride } from './parse-set-options.js';

/**
 * Checks an event changed by `--set` against its type's schema (the whole `{type, timestamp, data}`
 * body, or only `data` when `dataOnly`), and throws a `UsageError` that names the `--set` and the
 * path of each problem.
 *
 * @example
 * assertEventSchema('message', applyOverrides(event, overrides), overrides);
 */
export function assertEventSchema(
  type: EventType,
  value: unknown,
  overrides: readonly EventOverride[],
  { dataOnly = false }: { dataOnly?: boolean } = {},
): void {
  if (overrides.length === 0) return;
  const result = dataOnly ? dataSchemas[type].safeParse(value) : eventSchemas[type].safeParse(value);
  if (result.success) return;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const path = [...(dataOnly ? ['data'] : []), ...issue.path.map(String)];
    return `${path.join('.') || '(the event)'}: ${issue.message}`;
  });
  const first = result.error.issues[0];
  const firstPath = [...(dataOnly ? ['data'] : []), ...(first?.path.map(String) ?? [])];
  const culprit = overrides.find((override) => {
    const set = override.path.map(String);
    const shorter = Math.min(set.length, firstPath.length);
    return set.slice(0, shorter).join('.') === firstPath.slice(0, shorter).join('.');
  });
  throw new UsageError(
    'invalid_option',
    `${culprit ? `--set ${culprit.source}` : '--set'} makes an invalid ${type} event: ${problems.join('; ')}; compare with \`caleida-sim fixtures ${type}\`.`,
  );
}
