import { UsageError } from '../usage-error.js';
import type { EventOverride } from './parse-set-options.js';

/**
 * Returns a copy of `target` with each override set at its path, creating the objects (or, before a
 * numeric segment, the arrays) on the way. An array index may be at most the array's length (the
 * length appends). Setting inside a string, number or boolean is a `UsageError`.
 *
 * @example
 * applyOverrides(event, parseSetOptions(['data.author.name=Ana']));
 */
export function applyOverrides<T extends object>(target: T, overrides: readonly EventOverride[]): T {
  const copy = structuredClone(target) as Record<string | number, unknown>;
  for (const { source, path, value } of overrides) {
    let container: Record<string | number, unknown> | unknown[] = copy;
    for (let index = 0; index < path.length; index++) {
      const key = path[index] as string | number;
      const isLast = index === path.length - 1;
      const where = path.slice(0, index).join('.');
      if (Array.isArray(container)) {
        if (typeof key !== 'number') {
          throw new UsageError(
            'invalid_option',
            `--set ${source}: ${where} is an array; index it with a number, e.g. ${where}.0.`,
          );
        }
        if (key > container.length) {
          throw new UsageError(
            'invalid_option',
            `--set ${source}: ${where} has ${container.length} item(s); use an index from 0 to ${container.length} (${container.length} appends).`,
          );
        }
      }
      const record = container as Record<string | number, unknown>;
      if (isLast) {
        record[key] = value;
        break;
      }
      let next = record[key];
      if (next === undefined || next === null) {
        next = typeof path[index + 1] === 'number' ? [] : {};
        record[key] = next;
      } else if (typeof next !== 'object') {
        throw new UsageError(
          'invalid_option',
          `--set ${source}: ${path.slice(0, index + 1).join('.')} is a ${typeof next}, so it has no field "${path[index + 1]}".`,
        );
      }
      container = next as Record<string | number, unknown>;
    }
  }
  return copy as T;
}
