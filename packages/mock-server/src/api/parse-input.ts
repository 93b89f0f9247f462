import type { z } from 'zod';
import { ApiError, type FieldIssue } from './api-error.js';

/**
 * Validates a body or query with `schema`, or throws `validation_failed` listing every field that
 * is wrong. `prefix` names nested input (`data.` for an event's data).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ApiError(
    'validation_failed',
    'Some fields are not valid; see details.',
    toDetails(result.error, prefix),
  );
}

/** Zod issues as field-level details. */
export function toDetails(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${prefix}${key}`, message: `${key} is not a known field` }));
    }
    const path = issue.path.map(String).filter((part) => !/^\d+$/.test(part));
    const field = path.length > 0 ? `${prefix}${path.join('.')}` : prefix ? prefix.slice(0, -1) : 'body';
    return [{ field, message: issue.message }];
  });
}
